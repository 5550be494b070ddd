/**
 * Contract fixtures (`testResourceType`) for the API Gateway types, on the
 * in-memory account of `fake-apigateway.ts`. Each seeds what a delete has to
 * get past: REST APIs served by usage plans (one of their own, one shared
 * by all), HTTP and WebSocket APIs side by side (one type must not list the
 * other's), custom domains of every endpoint type mapped to APIs that stay.
 * Lists answer at most `pageSize` items, well under the seeded count.
 */
import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import type { ContractFixture, ContractResource } from "@cleanup-runner/plugin-kit/contract";
import { mockClient } from "aws-sdk-client-mock";
import { FakeApiGateway, type FakeDomain } from "./fake-apigateway.js";

/**
 * A fixture on a fresh FakeApiGateway per seed, populated by `populate`;
 * `present` names what is left of the type. The stubs are made at each seed,
 * so that several fixtures of one test file never share a stale one.
 */
function apiGatewayFixture(
  populate: (fake: FakeApiGateway, resources: readonly ContractResource[]) => void,
  present: (fake: FakeApiGateway) => string[],
  pageSize: number,
): ContractFixture {
  let fake = new FakeApiGateway(pageSize);
  return {
    seed(resources) {
      fake = new FakeApiGateway(pageSize);
      populate(fake, resources);
      fake.install({ v1: mockClient(APIGatewayClient), v2: mockClient(ApiGatewayV2Client) });
    },
    present: () => present(fake),
  };
}

/**
 * REST APIs with two stages each: `prod` in a usage plan of the API's own
 * (with its own API key), `dev` in a usage plan shared by every API (with a
 * shared key). A delete must take the API's stages out of both first.
 */
export function fakeRestApis(pageSize = 4): ContractFixture {
  return apiGatewayFixture(
    (fake, resources) => {
      const shared = fake.addUsagePlan({
        id: "up-shared",
        name: "contract-shared-plan",
        apiStages: [],
        keys: [{ id: "key-shared", name: "contract-shared-key" }],
      });
      resources.forEach((r, i) => {
        const api = fake.addRestApi({ name: r.name, tags: { ...r.tags }, stages: ["prod", "dev"] });
        fake.addUsagePlan({
          id: `up-${i}`,
          name: `${r.name}-plan`,
          apiStages: [{ apiId: api.id, stage: "prod" }],
          keys: [{ id: `key-${i}`, name: `${r.name}-key` }],
        });
        shared.apiStages?.push({ apiId: api.id, stage: "dev" });
      });
    },
    (fake) => [...fake.restApis.values()].map((api) => api.name),
    pageSize,
  );
}

/**
 * HTTP or WebSocket APIs (`protocol`), each with stages and more routes than
 * a page holds, beside three APIs of the other protocol that discover must
 * not yield and delete must not touch. `present` names the `protocol` ones.
 */
export function fakeV2Apis(protocol: "HTTP" | "WEBSOCKET", pageSize = 4): ContractFixture {
  const other = protocol === "HTTP" ? "WEBSOCKET" : "HTTP";
  const routes =
    protocol === "HTTP"
      ? ["GET /", "GET /items", "POST /items", "GET /items/{id}", "DELETE /items/{id}"]
      : ["$connect", "$disconnect", "$default", "sendMessage", "join"];
  return apiGatewayFixture(
    (fake, resources) => {
      for (let i = 0; i < 3; i++)
        fake.addV2Api({ name: `contract-other-${other.toLowerCase()}-${i}`, protocol: other });
      for (const r of resources) {
        fake.addV2Api({ name: r.name, protocol, tags: { ...r.tags }, stages: ["dev", "prod"], routes });
      }
    },
    (fake) => [...fake.v2Apis.values()].filter((api) => api.protocol === protocol).map((api) => api.name),
    pageSize,
  );
}

/**
 * Custom domains by turns Regional, private and edge-optimized, each mapping
 * a REST API (and a Regional one an HTTP API too) under more base paths than a page holds; the
 * APIs stay when a domain goes. `present` names the domains.
 */
export function fakeDomainNames(pageSize = 4): ContractFixture {
  const endpointTypes: FakeDomain["endpointType"][] = ["REGIONAL", "PRIVATE", "EDGE"];
  const basePaths = ["", "v1", "v2", "admin", "public"];
  return apiGatewayFixture(
    (fake, resources) => {
      const rest = fake.addRestApi({ name: "contract-backend", stages: ["prod"] });
      const http = fake.addV2Api({ name: "contract-http", protocol: "HTTP", stages: ["$default"] });
      resources.forEach((r, i) => {
        const endpointType = endpointTypes[i % endpointTypes.length]!;
        fake.addDomain({
          name: r.name,
          endpointType,
          tags: { ...r.tags },
          mappings: [
            ...basePaths.map((key) => ({ key, apiId: rest.id, stage: "prod" })),
            ...(endpointType === "REGIONAL" ? [{ key: "http", apiId: http.id, stage: "$default" }] : []),
          ],
        });
      });
    },
    (fake) => fake.domains.map((d) => d.name),
    pageSize,
  );
}
