/** Types of answers.cjs for world.ts (the stand-in stays plain CommonJS so that node starts it fast). */
export declare function writeAnswers(state: string, stack?: string): void;
export declare function rememberConfig(state: string, stack: string, file: string, text: string): unknown;
