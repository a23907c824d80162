import {
  CreateWebhookEndpointRequest,
  ListWebhookDeliveriesRequest,
  ReplayResult,
  ReplayWebhookEndpointRequest,
  UpdateWebhookEndpointRequest,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookDeliveryRequest,
  WebhookEndpoint,
  WebhookEndpointList,
  WebhookEndpointRequest,
  WebhookEndpointWithSecret,
  WebhookSecret,
} from "@mcpmediaengine/contract";
import {
  createEndpoint,
  deleteEndpoint,
  getDelivery,
  getEndpoint,
  getWebhookSecret,
  listDeliveries,
  listEndpoints,
  redeliver,
  replayEndpoint,
  rotateWebhookSecret,
  updateEndpoint,
} from "@mcpmediaengine/engine";
import { z } from "zod";
import { authedProcedure, router } from "../init";

const tags = ["webhooks"];
const NoInput = z.object({}).optional();

export const webhooksRouter = router({
  secret: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/webhooks/secret",
        tags,
        protect: true,
        summary: "The default signing secret",
        description:
          "The secret that signs deliveries to your jobs' own webhookUrl (Standard Webhooks). Made on first use.",
      },
    })
    .input(NoInput)
    .output(WebhookSecret)
    .query(({ ctx }) => getWebhookSecret({ ctx: ctx.engine, caller: ctx.caller })),

  rotateSecret: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/webhooks/secret/rotate",
        tags,
        protect: true,
        summary: "Rotate the default signing secret",
        description:
          "Replaces the default secret. For 24 hours deliveries carry signatures by both the old and the new one, so receivers can switch without losing an event.",
      },
    })
    .input(NoInput)
    .output(WebhookSecret)
    .mutation(({ ctx }) => rotateWebhookSecret({ ctx: ctx.engine, caller: ctx.caller })),

  createEndpoint: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/webhooks/endpoints",
        tags,
        protect: true,
        summary: "Add an endpoint",
        description: "A URL that receives every matching event of your account, signed with its own secret.",
      },
    })
    .input(CreateWebhookEndpointRequest)
    .output(WebhookEndpointWithSecret)
    .mutation(({ ctx, input }) => createEndpoint({ ctx: ctx.engine, caller: ctx.caller, input })),

  listEndpoints: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/webhooks/endpoints",
        tags,
        protect: true,
        summary: "List endpoints",
        description: "Your endpoints, with whether each is enabled and why not.",
      },
    })
    .input(NoInput)
    .output(WebhookEndpointList)
    .query(({ ctx }) => listEndpoints({ ctx: ctx.engine, caller: ctx.caller })),

  getEndpoint: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/webhooks/endpoints/{endpointId}",
        tags,
        protect: true,
        summary: "Get an endpoint",
        description: "The endpoint with its signing secret.",
      },
    })
    .input(WebhookEndpointRequest)
    .output(WebhookEndpointWithSecret)
    .query(({ ctx, input }) => getEndpoint({ ctx: ctx.engine, caller: ctx.caller, input })),

  updateEndpoint: authedProcedure
    .meta({
      openapi: {
        method: "PATCH",
        path: "/webhooks/endpoints/{endpointId}",
        tags,
        protect: true,
        summary: "Change an endpoint",
        description:
          "Change its URL, events or note, or disable it; `enabled: true` revives a disabled endpoint.",
      },
    })
    .input(UpdateWebhookEndpointRequest)
    .output(WebhookEndpoint)
    .mutation(({ ctx, input }) => updateEndpoint({ ctx: ctx.engine, caller: ctx.caller, input })),

  deleteEndpoint: authedProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/webhooks/endpoints/{endpointId}",
        tags,
        protect: true,
        summary: "Delete an endpoint",
        description: "Stops sending to it; deliveries not yet made end unsent.",
      },
    })
    .input(WebhookEndpointRequest)
    .output(WebhookEndpoint)
    .mutation(({ ctx, input }) => deleteEndpoint({ ctx: ctx.engine, caller: ctx.caller, input })),

  replayEndpoint: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/webhooks/endpoints/{endpointId}/replay",
        tags,
        protect: true,
        summary: "Replay failed deliveries",
        description:
          "Sends every failed delivery to the endpoint created in the time range again, under the same ids.",
      },
    })
    .input(ReplayWebhookEndpointRequest)
    .output(ReplayResult)
    .mutation(({ ctx, input }) => replayEndpoint({ ctx: ctx.engine, caller: ctx.caller, input })),

  listDeliveries: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/webhooks/deliveries",
        tags,
        protect: true,
        summary: "The delivery log",
        description:
          "Deliveries newest first, each with every attempt: time, status code, latency, the answer's start.",
      },
    })
    .input(ListWebhookDeliveriesRequest)
    .output(WebhookDeliveryList)
    .query(({ ctx, input }) => listDeliveries({ ctx: ctx.engine, caller: ctx.caller, input })),

  getDelivery: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/webhooks/deliveries/{deliveryId}",
        tags,
        protect: true,
        summary: "Get a delivery",
        description: "One delivery with its attempts.",
      },
    })
    .input(WebhookDeliveryRequest)
    .output(WebhookDelivery)
    .query(({ ctx, input }) => getDelivery({ ctx: ctx.engine, caller: ctx.caller, input })),

  redeliver: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/webhooks/deliveries/{deliveryId}/redeliver",
        tags,
        protect: true,
        summary: "Send a delivery again",
        description:
          "Sends an ended delivery again now, with the same webhook-id; its retry schedule starts over.",
      },
    })
    .input(WebhookDeliveryRequest)
    .output(WebhookDelivery)
    .mutation(({ ctx, input }) => redeliver({ ctx: ctx.engine, caller: ctx.caller, input })),
});
