export { createTestDatabase, type TestDatabase } from "./database";
export { withDatabase } from "./global-setup";
