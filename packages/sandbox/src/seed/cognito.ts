import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { clientConfig, seeded, type SeedResult, type SeedTarget, type SeededResource } from "./types.js";

/**
 * Seeds the workshop's Cognito footprint: `StudentUserPool` with an app
 * client, a group and the prefix domain `${prefix}-auth`, and the decoy pool
 * `OtherProjectPool` with a domain of its own.
 */
export async function seedCognito(target: SeedTarget, prefix: string): Promise<SeedResult> {
  const cognito = new CognitoIdentityProviderClient(clientConfig(target));

  async function createPool(name: string, domain: string): Promise<string> {
    const { UserPool } = await cognito.send(
      new CreateUserPoolCommand({ PoolName: name, AutoVerifiedAttributes: ["email"], UsernameAttributes: ["email"] }),
    );
    const id = UserPool!.Id!;
    await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: id, ClientName: `${name}-web` }));
    await cognito.send(new CreateGroupCommand({ UserPoolId: id, GroupName: "students" }));
    await cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: id, Domain: domain }));
    return id;
  }

  const pool = (name: string, id: string) =>
    seeded(`cognito.user-pool ${name}`, () => cognito.send(new DescribeUserPoolCommand({ UserPoolId: id })));
  const domainExists = (domain: string) => async () => {
    const { DomainDescription } = await cognito.send(new DescribeUserPoolDomainCommand({ Domain: domain }));
    return Boolean(DomainDescription?.UserPoolId);
  };

  const studentDomain = `${prefix}-auth`;
  const decoyDomain = `${prefix}-other-project-auth`;
  const student = await createPool("StudentUserPool", studentDomain);
  const decoy = await createPool("OtherProjectPool", decoyDomain);

  const selected: SeededResource[] = [
    pool("StudentUserPool", student),
    { description: `cognito user pool domain ${studentDomain}`, exists: domainExists(studentDomain) },
  ];
  const decoys: SeededResource[] = [
    pool("OtherProjectPool", decoy),
    { description: `cognito user pool domain ${decoyDomain}`, exists: domainExists(decoyDomain) },
  ];
  return { selected, decoys };
}
