//! Copying a code (talent, project) for pasting elsewhere. The web view's clipboard API may be refused outside a
//! secure context; the old textarea way still works there.

export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
}
