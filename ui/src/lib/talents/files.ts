//! Files chosen with <input type="file">: read as base64 (only the part after "base64,"), and refused early when
//! obviously too large, so a 200 MB video is not read into memory only to be refused by the backend.

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export function readAsBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(stripDataUrl(String(reader.result ?? "")));
    reader.onerror = () => reject(reader.error ?? new Error("read"));
    reader.readAsDataURL(file);
  });
}

/** `data:image/jpeg;base64,AAAA` → `AAAA`. */
export function stripDataUrl(dataUrl: string): string {
  const comma = dataUrl.indexOf(",");
  return comma >= 0 ? dataUrl.slice(comma + 1) : dataUrl;
}

/** `cv.final.PDF` → `pdf`; the extension a CV is saved with, from its type. */
export function cvExtension(mime: string | null | undefined): string {
  switch (mime) {
    case "application/pdf":
      return "pdf";
    case "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
      return "docx";
    case "application/msword":
      return "doc";
    default:
      return "pdf";
  }
}

/** `1,2 Mo` style sizes for people. */
export function fileSizeLabel(bytes: number, locale: string): string {
  const mb = bytes / (1024 * 1024);
  const kb = bytes / 1024;
  const nf = (n: number, d: number) => new Intl.NumberFormat(locale === "en" ? "en-GB" : "fr-FR", { maximumFractionDigits: d }).format(n);
  if (locale === "en") return mb >= 1 ? `${nf(mb, 1)} MB` : `${nf(Math.max(1, kb), 0)} KB`;
  return mb >= 1 ? `${nf(mb, 1)}\u00a0Mo` : `${nf(Math.max(1, kb), 0)}\u00a0Ko`;
}
