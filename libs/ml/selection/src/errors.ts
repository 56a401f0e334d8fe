/** Bad input to the selection analysis: the message says what was wrong, where, and what to do. */
export class SelectionInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectionInputError';
  }
}
