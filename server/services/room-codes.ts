/**
 * Room codes: 6 characters from an alphabet without look-alikes (no 0/O, 1/I/L), so a code read aloud
 * or off a screen is typed right. 31^6 ≈ 887 M codes: unguessable enough for a party, and collisions
 * (retried on CONFLICT) stay rare even with thousands of open rooms.
 */
import { customAlphabet } from 'nanoid';

export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 6;

export const newRoomCode: () => string = customAlphabet(CODE_ALPHABET, CODE_LENGTH);

/** Codes are matched case-insensitively; a dash some people type in the middle is ignored. */
export const normaliseCode = (code: string): string => code.trim().toUpperCase().replaceAll('-', '');
