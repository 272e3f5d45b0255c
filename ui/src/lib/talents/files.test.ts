import { describe, expect, it } from "vitest";
import { cvExtension, fileSizeLabel, stripDataUrl } from "./files";

describe("files sent to the backend", () => {
  it("keep only the base64 part of a data URL", () => {
    expect(stripDataUrl("data:image/jpeg;base64,/9j/4AAQ")).toBe("/9j/4AAQ");
    expect(stripDataUrl("data:application/pdf;base64,JVBERi0x")).toBe("JVBERi0x");
    expect(stripDataUrl("JVBERi0x"), "already bare").toBe("JVBERi0x");
  });

  it("name a CV's extension from its type", () => {
    expect(cvExtension("application/pdf")).toBe("pdf");
    expect(cvExtension("application/vnd.openxmlformats-officedocument.wordprocessingml.document")).toBe("docx");
    expect(cvExtension("application/msword")).toBe("doc");
    expect(cvExtension(null), "unknown types are saved as PDF, the usual case").toBe("pdf");
  });

  it("write sizes the way each language does", () => {
    expect(fileSizeLabel(1_258_291, "fr")).toBe("1,2\u00a0Mo");
    expect(fileSizeLabel(1_258_291, "en")).toBe("1.2 MB");
    expect(fileSizeLabel(300, "fr"), "never 0 Ko").toBe("1\u00a0Ko");
  });
});
