import { LOCAL_ANSWER_KEY } from '../../src/config.js';
import { SealedBox } from '../../src/domain/shared/sealedBox.js';

/** The box a local-mode Huddle seals with, so a test can read the storage a Huddle under test wrote. */
export const localBox = () => new SealedBox(LOCAL_ANSWER_KEY);
