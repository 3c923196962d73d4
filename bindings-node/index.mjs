// ESM entry: the same objects as the CommonJS entry.
import { createRequire } from 'node:module';

const cartlift = createRequire(import.meta.url)('./index.js');

export const { Engine, VERSION, ERROR_CODES, OPERATIONS } = cartlift;
export default cartlift;
