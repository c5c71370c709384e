// Words the messages share: a count with its noun, and a message's first sentence.

/** "1 VM", "3 VMs"; `words` where the plural is not the word and an s ("2 fixes"). */
export function count(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}

/** Up to the first full stop that ends a sentence ("1.5 GB" does not), the stop included. */
export function firstSentence(message: string): string {
  const end = message.search(/\.(\s|$)/);
  return end > 0 ? message.slice(0, end + 1) : message;
}
