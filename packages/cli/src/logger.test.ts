import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";

describe("createLogger", () => {
  it("never writes credentials or secrets, wherever they sit in a logged object", () => {
    const stream = new PassThrough();
    let written = "";
    stream.on("data", (c: Buffer) => (written += c.toString()));
    const logger = createLogger({ level: "info", format: "json" }, stream);
    logger.info(
      {
        credentials: { accessKeyId: "AKIAEXAMPLEKEY", secretAccessKey: "wJalrSECRET", sessionToken: "TOKEN123" },
        config: { secretAccessKey: "wJalrSECRET2", accessKeyId: "AKIAOTHER" },
        request: { headers: { authorization: "AWS4-HMAC-SHA256 Credential=AKIA..." } },
        user: { Password: "hunter2" },
        safe: "bucket-name",
      },
      "client built",
    );
    expect(written).toContain("bucket-name");
    for (const secret of [
      "AKIAEXAMPLEKEY",
      "wJalrSECRET",
      "TOKEN123",
      "wJalrSECRET2",
      "AKIAOTHER",
      "AWS4-HMAC",
      "hunter2",
    ]) {
      expect(written).not.toContain(secret);
    }
    expect(written).toContain("[redacted]");
  });
});
