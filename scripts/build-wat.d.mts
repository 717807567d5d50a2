/** Types of build-wat.mjs (a plain script run by node). */
export interface WatModule {
  /** The .wat source, from the repository root. */
  wat: string;
  /** The generated TypeScript module, from the repository root. */
  ts: string;
  /** The name of the constant holding the bytes. */
  name: string;
}
export const WAT_MODULES: WatModule[];
export function assemble(watText: string, module: WatModule): Promise<string>;
