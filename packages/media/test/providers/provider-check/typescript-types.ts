import ts from "typescript";
import { closed, type JsonSchema } from "./operation";

/**
 * The input schema of each endpoint in a copy of fal-js's generated types: `EndpointTypeMap` names each endpoint's
 * input type, read here as JSON Schema (doc comments become descriptions). Only the forms those types use are
 * read; anything else is an error naming it, never a silent pass.
 */
export function falInputSchemas(source: string, definition: string): Map<string, JsonSchema> {
  const file = ts.createSourceFile(definition, source, ts.ScriptTarget.Latest, true);
  const aliases = new Map<string, ts.TypeNode>();
  for (const statement of file.statements) {
    if (ts.isTypeAliasDeclaration(statement)) aliases.set(statement.name.text, statement.type);
  }
  const fail = (node: ts.Node, why: string): never => {
    throw new Error(`${definition}: ${why}: ${node.getText(file)}`);
  };

  const convert = (node: ts.TypeNode): JsonSchema => {
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText(file);
      if (name === "Array" && node.typeArguments?.length === 1)
        return { type: "array", items: convert(node.typeArguments[0]!) };
      // fal-js uploads a Blob or File itself and sends its URL: on the wire only the string can arrive.
      if (name === "Blob" || name === "File") return { not: {} };
      const target = aliases.get(name);
      return target ? convert(target) : fail(node, "type not in the copy");
    }
    if (ts.isTypeLiteralNode(node)) {
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const member of node.members) {
        if (!ts.isPropertySignature(member) || !member.type) return fail(member, "unsupported member");
        const name = member.name.getText(file).replace(/^"(.*)"$/, "$1");
        const description = ts
          .getJSDocCommentsAndTags(member)
          .map((doc) => (ts.isJSDoc(doc) ? ts.getTextOfJSDocComment(doc.comment) : undefined))
          .join(" ")
          .trim();
        properties[name] = { ...convert(member.type), ...(description && { description }) };
        if (!member.questionToken) required.push(name);
      }
      return { type: "object", properties, required };
    }
    if (ts.isUnionTypeNode(node)) {
      const literals = node.types.filter(isStringLiteral).map((type) => type.literal.text);
      const others = node.types.filter((type) => !isStringLiteral(type)).map(convert);
      const strings = literals.length > 0 ? [{ type: "string", enum: literals }] : [];
      return others.length === 0 ? strings[0]! : { anyOf: [...others, ...strings] };
    }
    if (isStringLiteral(node)) return { type: "string", enum: [node.literal.text] };
    if (ts.isArrayTypeNode(node)) return { type: "array", items: convert(node.elementType) };
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { type: "string" };
      case ts.SyntaxKind.NumberKeyword:
        return { type: "number" };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: "boolean" };
    }
    return fail(node, "unsupported type");
  };

  const map = aliases.get("EndpointTypeMap");
  if (!map || !ts.isTypeLiteralNode(map)) throw new Error(`${definition}: no EndpointTypeMap`);
  const schemas = new Map<string, JsonSchema>();
  for (const entry of map.members) {
    if (!ts.isPropertySignature(entry) || !entry.type || !ts.isTypeLiteralNode(entry.type)) {
      return fail(entry, "unsupported endpoint entry");
    }
    const input = entry.type.members.find(
      (member): member is ts.PropertySignature =>
        ts.isPropertySignature(member) && member.name.getText(file) === "input",
    );
    if (!input?.type) return fail(entry, "endpoint without input");
    schemas.set(entry.name.getText(file).replace(/^"(.*)"$/, "$1"), closed(convert(input.type)));
  }
  return schemas;
}

function isStringLiteral(node: ts.TypeNode): node is ts.LiteralTypeNode & { literal: ts.StringLiteral } {
  return ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal);
}
