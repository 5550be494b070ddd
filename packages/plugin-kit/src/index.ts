export type * from "./types.js";
export { defineResource, definePlugin, KIT_VERSION } from "./define.js";
export * from "./errors.js";
export {
  awsErrorBehind,
  classifiedCall,
  classifiedPages,
  classifyAwsError,
  isNotFound,
  readOrUndefined,
  removeUnlessGone,
  type Classify,
} from "./aws-errors.js";
export { oncePerClient, oncePerClientAndKey } from "./once-per-client.js";
export { perClient, sharedWhileRecent, type RecentRead } from "./per-client.js";
export { deleteWithPlannedChildren, isStringArray, recordedStrings } from "./planned-children.js";
export { pages, tagRecord } from "./pages.js";
export { Type, type Static } from "@sinclair/typebox";
export { isReadOnlyOperation } from "./operations.js";
