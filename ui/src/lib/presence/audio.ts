//! The gate's sounds, made with the Web Audio API (no audio files): one short cue per result colour. Silent, never
//! failing, where the web view has no audio output (a headless test, a muted laptop).
import { CUES, type Tone } from "./outcome";

let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (context) return context;
  try {
    const Ctor = globalThis.AudioContext ?? (globalThis as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    context = Ctor ? new Ctor() : null;
  } catch {
    context = null;
  }
  return context;
}

export function playCue(tone: Tone): void {
  const ctx = audio();
  if (!ctx) return;
  try {
    if (ctx.state === "suspended") void ctx.resume();
    let at = ctx.currentTime + 0.01;
    for (const note of CUES[tone]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = note.wave;
      osc.frequency.value = note.hz;
      const end = at + note.ms / 1000;
      // A quick fade in and out: no click at either end.
      gain.gain.setValueAtTime(0, at);
      gain.gain.linearRampToValueAtTime(note.wave === "square" ? 0.08 : 0.22, at + 0.01);
      gain.gain.setValueAtTime(note.wave === "square" ? 0.08 : 0.22, end - 0.03);
      gain.gain.linearRampToValueAtTime(0, end);
      osc.connect(gain).connect(ctx.destination);
      osc.start(at);
      osc.stop(end + 0.01);
      at = end + 0.04;
    }
  } catch {
    // no sound this time; the colour still says it
  }
}
