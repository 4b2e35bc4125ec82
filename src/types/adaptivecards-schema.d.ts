// adaptivecards-templating's typings import `adaptivecards/src/schema`, a TypeScript *source* file that does
// not compile under this project's settings. tsconfig `paths` points that one import here instead; the
// templating API only uses it as the type of a card object.
export interface IAdaptiveCard {
  [property: string]: unknown;
}
