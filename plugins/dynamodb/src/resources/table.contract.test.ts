import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { describe } from "vitest";
import { fakeDynamoDbAccount } from "../testing/fake-dynamodb.js";
import { table } from "./table.js";

const fixture = fakeDynamoDbAccount({ pageSize: 10 });

describe("on-demand backups kept (default)", () => {
  testResourceType(table, { fixture, count: 25 });
});

describe("on-demand backups deleted (deleteBackups: true)", () => {
  testResourceType(table, { fixture, count: 25, options: { deleteBackups: true } });
});
