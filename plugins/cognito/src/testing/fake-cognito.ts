import {
  CognitoIdentityClient,
  DeleteIdentityPoolCommand,
  DescribeIdentityPoolCommand,
  ListIdentityPoolsCommand,
  ResourceNotFoundException as IdentityPoolNotFound,
} from "@aws-sdk/client-cognito-identity";
import {
  CognitoIdentityProviderClient,
  DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand,
  DescribeUserPoolCommand,
  InvalidParameterException,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import type { ContractFixture, ContractResource } from "@cleanup-runner/plugin-kit/contract";
import { mockClient } from "aws-sdk-client-mock";

const meta = { $metadata: {} };

/** One page of `items` from the position `token` names, at most `size` long. */
function page<T>(items: readonly T[], token: string | undefined, size: number) {
  const start = token ? Number(token) : 0;
  return {
    items: items.slice(start, start + size),
    next: start + size < items.length ? String(start + size) : undefined,
  };
}

/** MaxResults is required and at most 60 on the Cognito list calls. */
function checkMaxResults(maxResults: number | undefined): number {
  if (!maxResults || maxResults < 1 || maxResults > 60) {
    throw new InvalidParameterException({ message: "MaxResults must be between 1 and 60", ...meta });
  }
  return maxResults;
}

/**
 * An in-memory user pool account, by Cognito's rules: ListUserPools needs
 * MaxResults (at most 60) and pages by NextToken; each pool has a prefix
 * domain, and DeleteUserPool refuses a pool that still has one; unknown ids
 * are ResourceNotFoundException.
 */
export function fakeUserPoolAccount(pageSize = 10): ContractFixture {
  const mock = mockClient(CognitoIdentityProviderClient);
  let pools = new Map<string, { resource: ContractResource; domain?: string }>();
  const pool = (id: string) => {
    const found = pools.get(id);
    if (!found) throw new ResourceNotFoundException({ message: `User pool ${id} does not exist.`, ...meta });
    return found;
  };
  return {
    seed(resources) {
      mock.reset();
      pools = new Map(resources.map((r, i) => [`us-east-1_pool${i}`, { resource: r, domain: `${r.name}-auth` }]));
      mock.on(ListUserPoolsCommand).callsFake((input: { MaxResults?: number; NextToken?: string }) => {
        const { items, next } = page(
          [...pools],
          input.NextToken,
          Math.min(checkMaxResults(input.MaxResults), pageSize),
        );
        return { UserPools: items.map(([Id, p]) => ({ Id, Name: p.resource.name })), NextToken: next };
      });
      mock.on(DescribeUserPoolCommand).callsFake((input: { UserPoolId: string }) => {
        const p = pool(input.UserPoolId);
        return {
          UserPool: {
            Id: input.UserPoolId,
            Name: p.resource.name,
            UserPoolTags: p.resource.tags ?? {},
            DeletionProtection: "INACTIVE",
            EstimatedNumberOfUsers: 0,
            ...(p.domain ? { Domain: p.domain } : {}),
          },
        };
      });
      mock.on(ListUserPoolClientsCommand).callsFake((input: { UserPoolId: string; MaxResults?: number }) => {
        pool(input.UserPoolId);
        checkMaxResults(input.MaxResults);
        return { UserPoolClients: [] };
      });
      mock.on(ListGroupsCommand).callsFake((input: { UserPoolId: string }) => {
        pool(input.UserPoolId);
        return { Groups: [] };
      });
      mock.on(DeleteUserPoolDomainCommand).callsFake((input: { UserPoolId: string; Domain: string }) => {
        const p = pool(input.UserPoolId);
        if (p.domain !== input.Domain) throw new ResourceNotFoundException({ message: "No such domain", ...meta });
        delete p.domain;
        return {};
      });
      mock.on(DeleteUserPoolCommand).callsFake((input: { UserPoolId: string }) => {
        if (pool(input.UserPoolId).domain) {
          throw new InvalidParameterException({
            message: "User pool has a domain configured that should be deleted first.",
            ...meta,
          });
        }
        pools.delete(input.UserPoolId);
        return {};
      });
    },
    present: () => [...pools.values()].map((p) => p.resource.name),
  };
}

/**
 * An in-memory identity pool account: ListIdentityPools needs MaxResults (at
 * most 60) and pages by NextToken; unknown ids are ResourceNotFoundException.
 */
export function fakeIdentityPoolAccount(pageSize = 10): ContractFixture {
  const mock = mockClient(CognitoIdentityClient);
  let pools = new Map<string, ContractResource>();
  const notFound = (id: string) => new IdentityPoolNotFound({ message: `IdentityPool '${id}' not found.`, ...meta });
  return {
    seed(resources) {
      mock.reset();
      pools = new Map(resources.map((r, i) => [`us-east-1:pool-${i}`, r]));
      mock.on(ListIdentityPoolsCommand).callsFake((input: { MaxResults?: number; NextToken?: string }) => {
        if (!input.MaxResults || input.MaxResults > 60) throw new Error("MaxResults must be between 1 and 60");
        const { items, next } = page([...pools], input.NextToken, Math.min(input.MaxResults, pageSize));
        return {
          IdentityPools: items.map(([id, r]) => ({ IdentityPoolId: id, IdentityPoolName: r.name })),
          NextToken: next,
        };
      });
      mock.on(DescribeIdentityPoolCommand).callsFake((input: { IdentityPoolId: string }) => {
        const r = pools.get(input.IdentityPoolId);
        if (!r) throw notFound(input.IdentityPoolId);
        return {
          IdentityPoolId: input.IdentityPoolId,
          IdentityPoolName: r.name,
          AllowUnauthenticatedIdentities: false,
          IdentityPoolTags: r.tags ?? {},
        };
      });
      mock.on(DeleteIdentityPoolCommand).callsFake((input: { IdentityPoolId: string }) => {
        if (!pools.delete(input.IdentityPoolId)) throw notFound(input.IdentityPoolId);
        return {};
      });
    },
    present: () => [...pools.values()].map((r) => r.name),
  };
}
