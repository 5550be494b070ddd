import type { Plugin } from "@cleanup-runner/plugin-kit";
import amplify from "@cleanup-runner/plugin-amplify";
import apigateway from "@cleanup-runner/plugin-apigateway";
import appsync from "@cleanup-runner/plugin-appsync";
import cognito from "@cleanup-runner/plugin-cognito";
import dynamodb from "@cleanup-runner/plugin-dynamodb";
import eventbridge from "@cleanup-runner/plugin-eventbridge";
import iam from "@cleanup-runner/plugin-iam";
import lambda from "@cleanup-runner/plugin-lambda";
import logs from "@cleanup-runner/plugin-logs";
import personalize from "@cleanup-runner/plugin-personalize";
import s3 from "@cleanup-runner/plugin-s3";
import ses from "@cleanup-runner/plugin-ses";

/** The plugins that ship with the runner. */
export const builtinPlugins: readonly Plugin[] = [
  amplify,
  apigateway,
  appsync,
  cognito,
  dynamodb,
  eventbridge,
  iam,
  lambda,
  logs,
  personalize,
  s3,
  ses,
];
