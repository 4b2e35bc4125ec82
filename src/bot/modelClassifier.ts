import { LLMClient, type Memory, OpenAIModel, PromptManager } from '@microsoft/teams-ai';
import { type BotAdapter, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ClassifierChoice } from '../config.js';
import {
  type CommentAnalysis,
  type CommentClassifier,
  RESISTANCE_KINDS,
  RESISTANCE_LEVELS,
  THEMES,
} from '../domain/feedback/themes.js';
import { promptsDir } from '../paths.js';

/** The model's answer, checked before anything of it is used. */
const modelAnswer = z.object({
  primaryTheme: z.enum(THEMES),
  themes: z.array(z.enum(THEMES)).max(THEMES.length),
  sentiment: z.number().min(-1).max(1),
  resistance: z.enum(RESISTANCE_LEVELS),
  resistanceKind: z.enum(RESISTANCE_KINDS).nullish(),
  safeguarding: z.boolean(),
});

/**
 * The optional language-model reading of a comment, through teams-ai's LLMClient and OpenAIModel with the
 * prompt in `src/analysis/prompts/classify`. Only built when an admin sets HUDDLE_CLASSIFIER=model.
 *
 * The local classifier always reads the comment too: its reading is the answer whenever the model fails,
 * is slow, or says something the schema refuses; and a disclosure either of them sees is escalated, since
 * a missed disclosure costs far more than an extra alert.
 */
export class ModelClassifier implements CommentClassifier {
  private readonly prompts = new PromptManager({ promptsFolder: promptsDir });
  private readonly client: Promise<LLMClient>;

  constructor(
    private readonly options: {
      choice: Extract<ClassifierChoice, { kind: 'model' }>;
      /** A turn context is required by the teams-ai API; classification sends nothing through it. */
      adapter: BotAdapter;
      local: CommentClassifier;
      logger: Logger;
    },
  ) {
    const { choice } = options;
    const clientOptions = { timeout: choice.timeoutMs, maxRetries: 0 };
    const model =
      choice.service === 'azure'
        ? new OpenAIModel({
            azureApiKey: choice.key,
            azureEndpoint: choice.endpoint,
            azureDefaultDeployment: choice.model,
            clientOptions,
            useSystemMessages: true,
          })
        : new OpenAIModel({
            apiKey: choice.key,
            endpoint: choice.endpoint,
            defaultModel: choice.model,
            clientOptions,
            useSystemMessages: true,
          });
    this.client = this.prompts.getPrompt('classify').then(
      (template) =>
        new LLMClient({
          model,
          template,
          history_variable: '',
          input_variable: 'temp.input',
          max_history_messages: 0,
          max_repair_attempts: 0,
        }),
    );
  }

  async classify(text: string): Promise<CommentAnalysis> {
    const local = await this.options.local.classify(text);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error('timed out')), this.options.choice.timeoutMs);
    });
    try {
      const answer = await Promise.race([this.ask(text), timeout]);
      const themes = [answer.primaryTheme, ...answer.themes.filter((theme) => theme !== answer.primaryTheme)];
      return {
        primaryTheme: answer.primaryTheme,
        themes,
        sentiment: Math.round(answer.sentiment * 100) / 100,
        resistance: answer.resistance,
        resistanceKind: answer.resistance === 'none' ? undefined : (answer.resistanceKind ?? undefined),
        safeguarding: answer.safeguarding || local.safeguarding,
        by: 'model',
      };
    } catch (error) {
      // The reason only: the comment and the model's words stay out of logs.
      this.options.logger.warn(
        { reason: (error as Error).message },
        'model classifier failed; local reading used',
      );
      return local;
    } finally {
      clearTimeout(timer);
    }
  }

  private async ask(text: string): Promise<z.infer<typeof modelAnswer>> {
    const client = await this.client;
    const memory = new ScratchMemory();
    memory.setValue('temp.input', text);
    const context = new TurnContext(this.options.adapter, { type: 'event', name: 'huddle/classify' });
    const response = await client.completePrompt(context, memory, this.prompts);
    if (response.status !== 'success') throw new Error(`model answered ${response.status}`);
    const content = response.message?.content;
    if (typeof content !== 'string') throw new Error('model gave no text');
    const parsed = modelAnswer.safeParse(jsonIn(content));
    if (!parsed.success) throw new Error('model answer did not match the schema');
    return parsed.data;
  }
}

/** The JSON object in a model's answer, which may come wrapped in a code fence or a sentence. */
function jsonIn(content: string): unknown {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start === -1 || end < start) throw new Error('model answer held no JSON object');
  try {
    return JSON.parse(content.slice(start, end + 1));
  } catch {
    throw new Error('model answer was not valid JSON');
  }
}

/** Memory for one classification: the comment in, nothing kept. */
class ScratchMemory implements Memory {
  private readonly values = new Map<string, unknown>();

  deleteValue(path: string): void {
    this.values.delete(scoped(path));
  }

  hasValue(path: string): boolean {
    return this.values.has(scoped(path));
  }

  getValue<TValue = unknown>(path: string): TValue {
    return this.values.get(scoped(path)) as TValue;
  }

  setValue(path: string, value: unknown): void {
    this.values.set(scoped(path), value);
  }
}

const scoped = (path: string) => (path.includes('.') ? path : `temp.${path}`);
