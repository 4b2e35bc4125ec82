import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('runs locally on embedded defaults with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3978,
      host: '127.0.0.1',
      local: true,
      storage: { kind: 'embedded', dataDir: '.huddle-data' },
      anonymityThreshold: 5,
      defaultQuietHours: { start: '21:00', end: '07:00' },
    });
  });

  it('messages guests and people of other organisations only when an admin says so', () => {
    expect(loadConfig({}).reach).toEqual({ guests: false, proactiveInstall: false });
    expect(loadConfig({ HUDDLE_MESSAGE_GUESTS: 'true' }).reach).toMatchObject({ guests: true });
    expect(() => loadConfig({ HUDDLE_MESSAGE_GUESTS: 'sometimes' })).toThrow(
      /HUDDLE_MESSAGE_GUESTS: use true or false/,
    );
  });

  it('installs Huddle through Graph only when turned on, with the catalog id, Graph by default', () => {
    const authenticated = {
      MicrosoftAppId: 'app',
      MicrosoftAppPassword: 's',
      MicrosoftAppTenantId: 't',
      HUDDLE_ANSWER_KEY: 'k'.repeat(32),
    };
    expect(loadConfig(authenticated).proactiveInstall).toBeUndefined();
    const on = loadConfig({
      ...authenticated,
      HUDDLE_PROACTIVE_INSTALL: 'true',
      HUDDLE_TEAMS_APP_CATALOG_ID: 'e3b0c442-98fc-4c14-9afb-f4c8996fb924',
    });
    expect(on.reach.proactiveInstall).toBe(true);
    expect(on.proactiveInstall).toEqual({
      graphUrl: 'https://graph.microsoft.com/v1.0',
      catalogId: 'e3b0c442-98fc-4c14-9afb-f4c8996fb924',
    });
    expect(() => loadConfig({ ...authenticated, HUDDLE_PROACTIVE_INSTALL: 'true' })).toThrow(
      /HUDDLE_TEAMS_APP_CATALOG_ID: HUDDLE_PROACTIVE_INSTALL=true needs the app's id in your Teams app catalog/,
    );
    expect(() => loadConfig({ ...authenticated, HUDDLE_GRAPH_URL: 'http://graph.example/v1.0' })).toThrow(
      /HUDDLE_GRAPH_URL: Microsoft Graph is reached over https/,
    );
    expect(() => loadConfig({ HUDDLE_GRAPH_URL: 'graph' })).toThrow(
      /HUDDLE_GRAPH_URL: write the Graph base URL/,
    );
  });

  it('in local mode talks only to a Graph stand-in on loopback, so nothing reaches the real Graph', () => {
    const local = { HUDDLE_PROACTIVE_INSTALL: 'true', HUDDLE_TEAMS_APP_CATALOG_ID: 'catalog-app' };
    expect(() => loadConfig(local)).toThrow(/HUDDLE_GRAPH_URL: without MicrosoftAppId .* loopback/);
    expect(() => loadConfig({ ...local, HUDDLE_GRAPH_URL: 'https://graph.microsoft.com/v1.0' })).toThrow(
      /only talks to a Graph stand-in on loopback/,
    );
    expect(
      loadConfig({ ...local, HUDDLE_GRAPH_URL: 'http://127.0.0.1:4100/v1.0/' }).proactiveInstall,
    ).toEqual({
      graphUrl: 'http://127.0.0.1:4100/v1.0',
      catalogId: 'catalog-app',
    });
  });

  it('treats variables set to nothing as unset', () => {
    expect(loadConfig({ PORT: '', AZURE_STORAGE_CONNECTION_STRING: '' }).storage.kind).toBe('embedded');
  });

  it('refuses to listen beyond loopback without an app id, saying how to fix it', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(
      /HOST: .*only listens on loopback.*set MicrosoftAppId/,
    );
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'eighty', HUDDLE_ANONYMITY_THRESHOLD: '2', HUDDLE_QUIET_HOURS: '9pm-7am' });
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('never below 3');
      expect(message).toContain('HH:MM-HH:MM');
    }
  });

  it('needs a secret and tenant for an authenticated single-tenant bot', () => {
    expect(() => loadConfig({ MicrosoftAppId: 'app' })).toThrow(
      /MicrosoftAppPassword.*MicrosoftAppTenantId.*HUDDLE_ANSWER_KEY/s,
    );
    const config = loadConfig({
      MicrosoftAppId: 'app',
      MicrosoftAppPassword: 's',
      MicrosoftAppTenantId: 't',
      HOST: '0.0.0.0',
      HUDDLE_ANSWER_KEY: 'k'.repeat(32),
    });
    expect(config.local).toBe(false);
    expect(config.host).toBe('0.0.0.0');
  });

  it('refuses a short answer key, and a Key Vault reference App Service could not resolve', () => {
    expect(() => loadConfig({ HUDDLE_ANSWER_KEY: 'short' })).toThrow(
      /HUDDLE_ANSWER_KEY: set a random secret/,
    );
    expect(() =>
      loadConfig({
        HUDDLE_ANSWER_KEY: '@Microsoft.KeyVault(VaultName=huddle-prod;SecretName=huddle-answer-key)',
      }),
    ).toThrow(/the Key Vault reference did not resolve/);
    // Local mode runs on demo data with a fixed key; it never needs one set.
    expect(loadConfig({}).answerKey.length).toBeGreaterThanOrEqual(32);
  });

  it('uses a managed identity when given an account name, and refuses both kinds of storage at once', () => {
    expect(loadConfig({ AZURE_STORAGE_ACCOUNT_NAME: 'huddleprod', AZURE_CLIENT_ID: 'id' }).storage).toEqual({
      kind: 'managedIdentity',
      accountName: 'huddleprod',
      clientId: 'id',
    });
    expect(() =>
      loadConfig({
        AZURE_STORAGE_ACCOUNT_NAME: 'huddleprod',
        AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
      }),
    ).toThrow(/not both/);
  });

  it('reads role lists, the tenant allow-list and rejects an unknown time zone', () => {
    const config = loadConfig({ HUDDLE_ADMINS: ' a@x.org , 123 ', HUDDLE_ALLOWED_TENANTS: 't1,t2' });
    expect(config.bootstrapRoles.admin).toEqual(['a@x.org', '123']);
    expect(config.allowedTenants).toEqual(['t1', 't2']);
    expect(() => loadConfig({ HUDDLE_DEFAULT_TIME_ZONE: 'Mars/Olympus' })).toThrow(/IANA time zone/);
  });

  it('reads comments locally unless an admin chooses a model, and then needs its endpoint and key', () => {
    expect(loadConfig({ HUDDLE_MODEL_ENDPOINT: 'https://api.openai.com/v1' }).classifier).toEqual({
      kind: 'local',
    });
    expect(() => loadConfig({ HUDDLE_CLASSIFIER: 'model' })).toThrow(
      /HUDDLE_MODEL_ENDPOINT: HUDDLE_CLASSIFIER=model needs/,
    );
    expect(() =>
      loadConfig({ HUDDLE_CLASSIFIER: 'model', HUDDLE_MODEL_ENDPOINT: 'https://api.openai.com/v1' }),
    ).toThrow(/HUDDLE_MODEL_KEY: HUDDLE_CLASSIFIER=model needs the API key/);
    expect(() =>
      loadConfig({
        HUDDLE_CLASSIFIER: 'model',
        HUDDLE_MODEL_KIND: 'azure',
        HUDDLE_MODEL_ENDPOINT: 'http://carehome.openai.azure.com',
        HUDDLE_MODEL_KEY: 'k',
      }),
    ).toThrow(/must start with https/);
    expect(
      loadConfig({
        HUDDLE_CLASSIFIER: 'model',
        HUDDLE_MODEL_KIND: 'azure',
        HUDDLE_MODEL_ENDPOINT: 'https://carehome.openai.azure.com',
        HUDDLE_MODEL_KEY: 'k',
        HUDDLE_MODEL_NAME: 'gpt-4o-mini-care',
      }).classifier,
    ).toEqual({
      kind: 'model',
      service: 'azure',
      endpoint: 'https://carehome.openai.azure.com',
      key: 'k',
      model: 'gpt-4o-mini-care',
      timeoutMs: 8_000,
    });
  });
});
