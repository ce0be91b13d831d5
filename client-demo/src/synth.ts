/**
 * Plays the synthesized preview of the current track with Web Audio, aligned to the server clock: the
 * loop's step n sounds at the server time when the track's position is n × stepMs, so every device with
 * a synced clock plays the same note at the same moment. A look-ahead scheduler (the "tale of two
 * clocks" pattern) queues notes a little ahead on the audio clock.
 */
import type { WirePlayback } from '../../server/transport/socket/events.ts';
import { midiToHz, patternFor, type Note, type Pattern, type TrackTraits } from './synth-pattern.ts';

const LOOKAHEAD_MS = 150;
const TICK_MS = 25;

export interface SynthSource {
  playback(): WirePlayback | null;
  traits(trackId: string): TrackTraits | undefined;
  serverNow(): number;
  /** Told about every step queued (the page shows it; the e2e test compares devices with it). */
  onStep?(step: number, notes: number): void;
}

export class PreviewSynth {
  private ctx: AudioContext | null = null;
  private master: GainNode | null = null;
  private noise: AudioBuffer | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private key = '';
  private pattern: Pattern | null = null;
  private nextStep = 0;

  constructor(private readonly source: SynthSource) {}

  get enabled(): boolean {
    return this.ctx !== null && this.ctx.state === 'running';
  }

  /** Must run inside a user gesture (browsers keep audio locked until one). */
  async enable(): Promise<void> {
    if (!this.ctx) {
      const ctx = new AudioContext({ latencyHint: 'interactive' });
      const comp = ctx.createDynamicsCompressor();
      comp.connect(ctx.destination);
      const master = ctx.createGain();
      master.gain.value = 0.5;
      master.connect(comp);
      const noise = ctx.createBuffer(1, ctx.sampleRate, ctx.sampleRate);
      const data = noise.getChannelData(0);
      for (let i = 0; i < data.length; i++) data[i] = Math.random() * 2 - 1;
      this.ctx = ctx;
      this.master = master;
      this.noise = noise;
    }
    await this.ctx.resume();
    this.realign();
    this.timer ??= setInterval(() => this.tick(), TICK_MS);
  }

  async disable(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.ctx?.suspend();
  }

  /** Forget the scheduling position (after a clock resync or a playback change). */
  realign(): void {
    this.key = '';
  }

  private tick(): void {
    const ctx = this.ctx;
    const pb = this.source.playback();
    if (!ctx || !pb || pb.status !== 'playing' || pb.trackId === null) return;
    const traits = this.source.traits(pb.trackId);
    if (!traits) return;
    const key = `${pb.trackId}|${pb.positionMs}|${pb.at}`;
    const serverNow = this.source.serverNow();
    const pos = pb.positionMs + (serverNow - pb.at);
    if (key !== this.key) {
      this.key = key;
      this.pattern = patternFor(traits);
      this.nextStep = Math.ceil(pos / this.pattern.stepMs);
    }
    const pattern = this.pattern;
    if (!pattern) return;
    // The audio clock and the server clock tick together; output latency is how late a sound leaves.
    const latency = (ctx.outputLatency || ctx.baseLatency || 0) * 1000;
    const horizon = pos + LOOKAHEAD_MS;
    for (; this.nextStep * pattern.stepMs <= horizon; this.nextStep++) {
      const stepPos = this.nextStep * pattern.stepMs;
      if (pb.durationMs !== null && stepPos >= pb.durationMs) break;
      const when = ctx.currentTime + (stepPos - pos - latency) / 1000;
      if (when < ctx.currentTime) continue; // late (tab was asleep): skip rather than play a burst
      const notes = pattern.notesAt(this.nextStep);
      for (const note of notes) this.play(note, when, pattern);
      this.source.onStep?.(this.nextStep, notes.length);
    }
  }

  private play(note: Note, when: number, pattern: Pattern): void {
    const ctx = this.ctx;
    const out = this.master;
    if (!ctx || !out) return;
    const dur = (note.steps * pattern.stepMs) / 1000;
    const env = ctx.createGain();
    env.connect(out);
    const g = env.gain;
    switch (note.instrument) {
      case 'kick': {
        const osc = ctx.createOscillator();
        osc.frequency.setValueAtTime(150, when);
        osc.frequency.exponentialRampToValueAtTime(45, when + 0.12);
        g.setValueAtTime(note.gain, when);
        g.exponentialRampToValueAtTime(0.001, when + 0.25);
        osc.connect(env);
        osc.start(when);
        osc.stop(when + 0.3);
        return;
      }
      case 'snare':
      case 'hat': {
        const src = ctx.createBufferSource();
        src.buffer = this.noise;
        const filter = ctx.createBiquadFilter();
        filter.type = note.instrument === 'hat' ? 'highpass' : 'bandpass';
        filter.frequency.value = note.instrument === 'hat' ? 7000 : 1800;
        const len = note.instrument === 'hat' ? 0.05 : 0.15;
        g.setValueAtTime(note.gain, when);
        g.exponentialRampToValueAtTime(0.001, when + len);
        src.connect(filter).connect(env);
        src.start(when);
        src.stop(when + len + 0.02);
        return;
      }
      default: {
        const osc = ctx.createOscillator();
        osc.type = note.instrument === 'pad' ? 'sine' : note.instrument === 'bass' ? 'triangle' : pattern.wave;
        osc.frequency.value = midiToHz(note.midi ?? 60);
        const filter = ctx.createBiquadFilter();
        filter.type = 'lowpass';
        filter.frequency.value = 400 + pattern.brightness * (note.instrument === 'bass' ? 900 : 4000);
        const attack = note.instrument === 'pad' ? 0.08 : 0.005;
        g.setValueAtTime(0.0001, when);
        g.linearRampToValueAtTime(note.gain, when + attack);
        g.setTargetAtTime(0.0001, when + dur * 0.7, dur * 0.2 + 0.01);
        osc.connect(filter).connect(env);
        osc.start(when);
        osc.stop(when + dur + 0.3);
      }
    }
  }
}
