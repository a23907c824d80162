import { BatchId, JobEvent, JobId } from "@mcpmediaengine/contract";
import type { OpenAPIObject } from "trpc-to-openapi";
import { z } from "zod";

const STREAM = `A Server-Sent Events stream (text/event-stream). Each event's \`event\` field is status, progress or job and its \`data\` a JSON JobEvent. Comment lines (\`: keep-alive\`) come every 15 s while nothing happens. To resume after a dropped connection send the last \`id\` received as the \`Last-Event-ID\` header (browsers' EventSource does this itself).`;

const lastEventId = (description: string) => ({
  name: "Last-Event-ID",
  in: "header",
  required: false,
  description,
  schema: { type: "string", description },
});

/**
 * The two event streams, which are plain Hono routes (trpc-to-openapi cannot stream): added to the document by
 * hand, with the JobEvent schema every event's data follows. Their error statuses come from the one error table,
 * as every operation's do (openapi.ts).
 */
export function addEventStreams(doc: OpenAPIObject): void {
  doc.components ??= {};
  doc.components.schemas = {
    ...doc.components.schemas,
    JobEvent: z.toJSONSchema(JobEvent, { target: "openapi-3.0" }) as never,
  };
  const stream = (description: string) => ({
    description,
    content: { "text/event-stream": { schema: { $ref: "#/components/schemas/JobEvent" } } },
  });
  doc.paths ??= {};
  doc.paths["/jobs/{jobId}/events"] = {
    get: {
      operationId: "jobs-events",
      summary: "Stream a job's events",
      description: `The job's status changes and progress as they happen, then the ended job with its assets (event \`job\`), then the stream closes. It starts with the job's current status (or, if it has already ended, its last event). ${STREAM} Here the id is the job's event number (seq): a resume sends exactly what came after it; a resume after the last event answers 204, which tells an EventSource to stop.`,
      tags: ["jobs"],
      security: [{ bearerAuth: [] }, { cookieAuth: [] }],
      parameters: [
        {
          name: "jobId",
          in: "path",
          required: true,
          description: JobId.description,
          schema: z.toJSONSchema(JobId, { target: "openapi-3.0" }),
        },
        lastEventId("The id of the last event received (the job's seq), to resume after it."),
      ],
      responses: {
        "200": stream("The job's events."),
        "204": { description: "Resumed after the job's last event: nothing more will come." },
      },
    },
  } as never;
  doc.paths["/jobs/events"] = {
    get: {
      operationId: "jobs-batchEvents",
      summary: "Stream a batch's events",
      description: `Every job of a batch at once: it starts with each job's current state (status, or the last event of a job that has ended), then every change as it happens and each job's last event when it ends; it closes when every job has ended. ${STREAM} Here ids are one order over all the batch's jobs; a resume may repeat an event written at the same moment as the last one received, never skip one: (jobId, seq) names each event.`,
      tags: ["jobs"],
      security: [{ bearerAuth: [] }, { cookieAuth: [] }],
      parameters: [
        {
          name: "batchId",
          in: "query",
          required: true,
          description: BatchId.description,
          schema: z.toJSONSchema(BatchId, { target: "openapi-3.0" }),
        },
        lastEventId("The id of the last event received, to resume after it."),
      ],
      responses: {
        "200": stream("The batch's jobs' events."),
        "204": { description: "Resumed after every job's last event: nothing more will come." },
      },
    },
  } as never;
}
