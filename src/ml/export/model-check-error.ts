/** A model file that cannot be opened; the message says what was expected and what was found. */
export class ModelCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelCheckError';
  }
}
