/**
 * What the lambda integration tests need from other services on moto server:
 * an IAM role for CreateFunction (moto checks that it exists) and a DynamoDB
 * stream to map to a function. This plugin depends on client-lambda only, so
 * these two calls speak the services' wire protocols directly; moto checks
 * no signature.
 */

/** Stands in for a deployment package: moto stores code it never runs. */
export const placeholderCode = new TextEncoder().encode("moto stores function code without running it");

const authorization = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;

/** Creates an IAM role Lambda may assume and returns its ARN. */
export async function createLambdaRole(endpoint: string, roleName: string): Promise<string> {
  const response = await fetch(`${endpoint}/`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: authorization("iam") },
    body: new URLSearchParams({
      Action: "CreateRole",
      Version: "2010-05-08",
      RoleName: roleName,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    }),
  });
  const arn = /<Arn>([^<]+)<\/Arn>/.exec(await response.text())?.[1];
  if (!response.ok || !arn) throw new Error(`moto CreateRole ${roleName} answered ${response.status}`);
  return arn;
}

/** Creates a DynamoDB table with a stream and returns the stream's ARN. */
export async function createTableStream(endpoint: string, tableName: string): Promise<string> {
  const response = await fetch(`${endpoint}/`, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": "DynamoDB_20120810.CreateTable",
      authorization: authorization("dynamodb"),
    },
    body: JSON.stringify({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
    }),
  });
  const body = (await response.json()) as { TableDescription?: { LatestStreamArn?: string } };
  const arn = body.TableDescription?.LatestStreamArn;
  if (!response.ok || !arn) throw new Error(`moto CreateTable ${tableName} answered ${response.status}`);
  return arn;
}
