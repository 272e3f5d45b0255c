//! Short confirmations that fade away by themselves (success) or stay a little longer (errors).
export type ToastTone = "success" | "error" | "info";
export type Toast = { id: number; tone: ToastTone; message: string };

let nextId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

export const toasts = $state<Toast[]>([]);

export function dismissToast(id: number): void {
  const i = toasts.findIndex((t) => t.id === id);
  if (i >= 0) toasts.splice(i, 1);
  clearTimeout(timers.get(id));
  timers.delete(id);
}

function push(tone: ToastTone, message: string, ms: number): void {
  const id = nextId++;
  toasts.push({ id, tone, message });
  if (toasts.length > 4) dismissToast(toasts[0]!.id);
  timers.set(id, setTimeout(() => dismissToast(id), ms));
}

export const toast = {
  success: (message: string) => push("success", message, 5000),
  info: (message: string) => push("info", message, 5000),
  error: (message: string) => push("error", message, 8000),
};
