export async function prequentialCommand(_flags: ReadonlyMap<string, string>, _argv: readonly string[]): Promise<number> {
  throw new Error('not yet');
}
