/**
 * What a track sounds like as a short synthesized loop: tempo sets the step length, energy the density
 * and brightness, valence major or minor, genre the groove, chords and timbre. Pure and deterministic
 * (same track → same loop on every device), so two phones in a room play the same notes.
 */

export interface TrackTraits {
  id: string;
  genre: string;
  tempo: number;
  energy: number;
  valence: number;
  danceability: number;
  acousticness: number;
}

export interface Note {
  instrument: 'kick' | 'snare' | 'hat' | 'bass' | 'lead' | 'pad';
  /** MIDI note (melodic instruments). */
  midi?: number;
  /** 0..1 */
  gain: number;
  /** Length in steps. */
  steps: number;
}

export interface Pattern {
  /** One step is a 16th note. */
  stepMs: number;
  /** 4 bars of 16 steps. */
  lengthSteps: number;
  wave: OscillatorType;
  brightness: number;
  notesAt(step: number): Note[];
}

interface Groove {
  kick: number[];
  snare: number[];
  /** Chord roots in scale degrees (0-based) per bar. */
  progression: [number, number, number, number];
  sevenths: boolean;
}

const GROOVES: Record<string, Groove> = {
  pop: { kick: [0, 8], snare: [4, 12], progression: [0, 4, 5, 3], sevenths: false },
  rock: { kick: [0, 6, 8], snare: [4, 12], progression: [0, 3, 4, 3], sevenths: false },
  'hip-hop': { kick: [0, 7, 10], snare: [4, 12], progression: [5, 3, 0, 4], sevenths: true },
  edm: { kick: [0, 4, 8, 12], snare: [4, 12], progression: [5, 3, 0, 4], sevenths: false },
  jazz: { kick: [0, 10], snare: [6, 14], progression: [1, 4, 0, 5], sevenths: true },
  classical: { kick: [], snare: [], progression: [0, 3, 4, 0], sevenths: false },
  latin: { kick: [0, 3, 8, 11], snare: [6, 14], progression: [0, 3, 4, 3], sevenths: false },
  'r&b': { kick: [0, 9], snare: [4, 12], progression: [1, 4, 0, 5], sevenths: true },
  metal: { kick: [0, 2, 4, 6, 8, 10, 12, 14], snare: [4, 12], progression: [0, 5, 3, 4], sevenths: false },
  folk: { kick: [0, 8], snare: [], progression: [0, 3, 0, 4], sevenths: false },
  ambient: { kick: [], snare: [], progression: [0, 5, 3, 4], sevenths: true },
  country: { kick: [0, 8], snare: [4, 12], progression: [0, 3, 4, 0], sevenths: false },
};
const DEFAULT_GROOVE: Groove = GROOVES['pop'] as Groove;

const MAJOR = [0, 2, 4, 5, 7, 9, 11];
const MINOR = [0, 2, 3, 5, 7, 8, 10];

/** FNV-1a: a stable small hash of the track id for key and melody choices. */
export function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export function patternFor(t: TrackTraits): Pattern {
  // Fold extreme tempos into a playable range (half or double time sounds the same groove).
  let bpm = t.tempo > 0 ? t.tempo : 110;
  while (bpm > 170) bpm /= 2;
  while (bpm < 70) bpm *= 2;
  const stepMs = 60_000 / bpm / 4;
  const groove = GROOVES[t.genre] ?? DEFAULT_GROOVE;
  const scale = t.valence >= 0.45 ? MAJOR : MINOR;
  const hash = hashId(t.id);
  const key = 40 + (hash % 12); // E2..D#3 region for the bass
  const energy = clamp(t.energy, 0, 1);
  const wave: OscillatorType = t.acousticness > 0.6 ? 'triangle' : energy > 0.75 ? 'sawtooth' : 'square';
  const degree = (d: number, octave = 0) => {
    const idx = ((d % 7) + 7) % 7;
    return key + (scale[idx] ?? 0) + 12 * (octave + Math.floor(d / 7));
  };
  const hatEvery = energy > 0.7 ? 1 : energy > 0.35 ? 2 : 4;
  const arpEvery = t.danceability > 0.6 ? 2 : 4;
  const melody = [0, 2, 4, 2, 4, 6, 4, 2].map((d, i) => d + ((hash >> (i * 2)) & 1 ? 1 : 0));

  return {
    stepMs,
    lengthSteps: 64,
    wave,
    brightness: 0.25 + energy * 0.75,
    notesAt(step) {
      const s = ((step % 64) + 64) % 64;
      const bar = Math.floor(s / 16);
      const inBar = s % 16;
      const root = groove.progression[bar] ?? 0;
      const notes: Note[] = [];
      if (groove.kick.includes(inBar)) notes.push({ instrument: 'kick', gain: 0.5 + energy * 0.5, steps: 1 });
      if (energy > 0.25 && groove.snare.includes(inBar)) notes.push({ instrument: 'snare', gain: 0.2 + energy * 0.4, steps: 1 });
      if (energy > 0.15 && inBar % hatEvery === 0) {
        notes.push({ instrument: 'hat', gain: (inBar % 4 === 2 ? 0.6 : 0.35) * energy, steps: 1 });
      }
      if (inBar === 0 || inBar === 8 || (energy > 0.6 && inBar === 14)) {
        notes.push({ instrument: 'bass', midi: degree(root), gain: 0.55, steps: inBar === 14 ? 2 : 6 });
      }
      if (inBar === 0) {
        const chord = [0, 2, 4, ...(groove.sevenths ? [6] : [])].map((d) => degree(root + d, 1));
        for (const midi of chord) notes.push({ instrument: 'pad', midi, gain: 0.12, steps: 16 });
      }
      if (inBar % arpEvery === 0) {
        const m = melody[(inBar / arpEvery + bar) % melody.length] ?? 0;
        notes.push({ instrument: 'lead', midi: degree(root + m, 2), gain: 0.12 + energy * 0.1, steps: arpEvery });
      }
      return notes;
    },
  };
}

export const midiToHz = (midi: number): number => 440 * 2 ** ((midi - 69) / 12);
