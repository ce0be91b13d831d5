/**
 * Pronounceable made-up names (syllable by syllable) and titles that mix everyday English words with
 * invented ones, so the default catalog holds no third-party data yet reads like a music catalog.
 */
import type { Rng } from './prng.ts';
import type { GenreProfile } from './genres.ts';

const ONSETS = ['b', 'br', 'c', 'ch', 'd', 'dr', 'f', 'fl', 'g', 'gr', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'pr', 'r', 's', 'sh', 'st', 't', 'tr', 'v', 'w', 'z'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'a', 'e', 'o', 'ai', 'ea', 'ou', 'ie'];
const CODAS = ['', '', '', 'n', 'r', 'l', 's', 'th', 'x', 'nd', 'm', 'ck'];

const ADJECTIVES = ['Golden', 'Electric', 'Quiet', 'Broken', 'Velvet', 'Silver', 'Wild', 'Lonely', 'Neon', 'Endless', 'Crimson', 'Paper', 'Sweet', 'Hollow', 'Burning', 'Blue', 'Midnight', 'Distant', 'Open', 'Little'];
const NOUNS = ['Heart', 'River', 'Fire', 'Dreams', 'Highway', 'Summer', 'Echo', 'Rain', 'Lights', 'Ocean', 'Garden', 'Shadows', 'Mirror', 'Thunder', 'Morning', 'Stars', 'City', 'Letters', 'Waves', 'Horizon', 'Dance', 'Road', 'Moon', 'Skin'];
const VERBS = ['Hold', 'Chase', 'Call', 'Burn', 'Find', 'Follow', 'Wake', 'Remember', 'Carry', 'Breathe'];
const FORMS = ['Sonata', 'Nocturne', 'Etude', 'Prelude', 'Concerto', 'Fugue', 'Serenade', 'Symphony', 'Impromptu', 'Suite'];
const KEYS = ['C', 'D', 'E', 'F', 'G', 'A', 'B', 'E-flat', 'B-flat', 'F-sharp', 'A-flat'];

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** An invented word of `syllables` syllables, e.g. "Brailo", "Venthar". */
export function word(rng: Rng, syllables: number): string {
  let out = '';
  for (let i = 0; i < syllables; i++) {
    // Only the last syllable gets a coda: "Maru-von" reads better than "Marn-vonth".
    out += rng.pick(ONSETS) + rng.pick(VOWELS) + (i === syllables - 1 ? rng.pick(CODAS) : '');
  }
  return capitalize(out);
}

const person = (rng: Rng): string => `${word(rng, rng.int(1, 2))} ${word(rng, rng.int(2, 3))}`;

export function artistName(rng: Rng, style: GenreProfile['artistStyle']): string {
  switch (style) {
    case 'person':
      return rng.next() < 0.8 ? person(rng) : word(rng, rng.int(2, 3));
    case 'band':
      return rng.next() < 0.5 ? `The ${rng.pick(ADJECTIVES)} ${word(rng, 2)}s` : `${word(rng, 2)} ${rng.pick(NOUNS)}`;
    case 'dj':
      return rng.next() < 0.4 ? `DJ ${word(rng, 2)}` : `${word(rng, 2)}${rng.next() < 0.5 ? '' : ' ' + word(rng, 1)}`;
    case 'rapper':
      return `${rng.pick(['Lil ', 'Young ', 'MC ', 'Big ', '', '', ''])}${word(rng, rng.int(1, 3))}`;
    case 'ensemble':
      return `${person(rng)} ${rng.pick(['Trio', 'Quartet', 'Quintet', 'Sextet', 'Big Band'])}`;
    case 'composer':
      return rng.next() < 0.6 ? person(rng) : `${word(rng, 3)} ${rng.pick(['Chamber Orchestra', 'Ensemble', 'Philharmonic', 'String Quartet'])}`;
  }
}

export function trackTitle(rng: Rng, style: GenreProfile['artistStyle']): string {
  if (style === 'composer') {
    return `${rng.pick(FORMS)} No. ${rng.int(1, 24)} in ${rng.pick(KEYS)} ${rng.next() < 0.5 ? 'major' : 'minor'}`;
  }
  switch (rng.int(0, 5)) {
    case 0:
      return `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`;
    case 1:
      return `${rng.pick(NOUNS)} of ${word(rng, 2)}`;
    case 2:
      return `${rng.pick(VERBS)} the ${rng.pick(NOUNS)}`;
    case 3:
      return word(rng, rng.int(2, 3));
    case 4:
      return `${word(rng, 2)} ${rng.pick(NOUNS)}`;
    default:
      return `${rng.pick(ADJECTIVES)} ${word(rng, 2)}`;
  }
}
