import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configVariables, loadConfig } from '../../src/config.js';
import { projectRoot } from '../../src/paths.js';

// The Bicep compiler cannot be installed on these machines, so the templates are read as text and held
// to the config schema: no app setting Huddle ignores, no setting production needs left unset.
const infra = (file: string) => readFileSync(join(projectRoot, 'infra', file), 'utf8');
const mainBicep = infra('main.bicep');
const appServiceBicep = infra('modules/appService.bicep');

/** App Service's own settings, read by the platform rather than by Huddle. */
const PLATFORM_SETTINGS = ['SCM_DO_BUILD_DURING_DEPLOYMENT'];

/** Sample values for the module parameters the settings are built from, as a deployment would pass them. */
const SAMPLE_PARAMETERS: Record<string, string> = {
  identityClientId: '3f2a9c1e-1111-4222-8333-444455556666',
  tenantId: '7b1c2d3e-0000-4000-8000-0000000000aa',
  storageAccountName: 'huddleprodx7k2m4q9a1b3c',
  tablePrefix: 'huddle',
  allowedTenants: '7b1c2d3e-0000-4000-8000-0000000000aa',
  admins: 'manager@oakview.example',
  managers: '',
  leaders: '',
  safeguardingLeads: '',
  'string(anonymityThreshold)': '5',
  'string(proactiveInstall)': 'false',
  teamsAppCatalogId: '',
  appInsightsConnectionString:
    'InstrumentationKey=11111111-2222-3333-4444-555555555555;IngestionEndpoint=https://uksouth-1.in.applicationinsights.azure.com/',
};

/** What App Service puts in place of a Key Vault reference once the secret is readable. */
const RESOLVED_SECRET = 'sample-answer-key-0123456789-0123456789-0123456789';

function appSettings(): Record<string, string> {
  const block = /appSettings: \[([\s\S]*?)\n\s*\]/.exec(appServiceBicep)?.[1] ?? '';
  const settings: Record<string, string> = {};
  for (const match of block.matchAll(/\{ name: '([A-Za-z_]+)', value: (.+?) \}/g)) {
    const [, name = '', expression = ''] = match;
    const literal = /^'(.*)'$/.exec(expression)?.[1];
    const value = literal?.startsWith('@Microsoft.KeyVault(')
      ? RESOLVED_SECRET
      : (literal ?? SAMPLE_PARAMETERS[expression]);
    if (value === undefined) throw new Error(`add a sample value for ${expression} (setting ${name})`);
    settings[name] = value;
  }
  return settings;
}

const declaredParameters = (bicep: string) => [...bicep.matchAll(/^param (\w+) \w+( = .*)?$/gm)];

describe('Azure templates and the config schema', () => {
  it('every app setting the templates define is a variable Huddle reads (or an App Service setting)', () => {
    const names = Object.keys(appSettings());
    expect(names.length).toBeGreaterThan(10);
    expect(
      names.filter((name) => !configVariables.includes(name) && !PLATFORM_SETTINGS.includes(name)),
    ).toEqual([]);
  });

  it('the settings alone start Huddle authenticated, on all interfaces, with storage by managed identity', () => {
    const config = loadConfig(appSettings());
    expect(config.local).toBe(false);
    expect(config.host).toBe('0.0.0.0');
    expect(config.bot.appType).toBe('UserAssignedMSI');
    expect(config.storage).toEqual({
      kind: 'managedIdentity',
      accountName: SAMPLE_PARAMETERS.storageAccountName,
      clientId: SAMPLE_PARAMETERS.identityClientId,
    });
    expect(config.allowedTenants).toEqual([SAMPLE_PARAMETERS.tenantId]);
    expect(config.appInsightsConnectionString).toBe(SAMPLE_PARAMETERS.appInsightsConnectionString);
    expect(config.answerKey).toBe(RESOLVED_SECRET);
  });

  it('takes the answer key from Key Vault through the app identity, never as a value in the templates', () => {
    expect(appServiceBicep).toMatch(
      /\{ name: 'HUDDLE_ANSWER_KEY', value: '@Microsoft\.KeyVault\(VaultName=\$\{keyVaultName\};SecretName=huddle-answer-key\)' \}/,
    );
    expect(appServiceBicep).toContain('keyVaultReferenceIdentity: identityId');
    expect(infra('modules/keyVault.bicep')).toContain('enableRbacAuthorization: true');
  });

  it('holds no account key, connection string or client secret in settings', () => {
    const names = Object.keys(appSettings());
    expect(names).not.toContain('AZURE_STORAGE_CONNECTION_STRING');
    expect(names).not.toContain('MicrosoftAppPassword');
    expect(infra('modules/storage.bicep')).toContain('allowSharedKeyAccess: false');
  });

  it('outputs are named as config variables, manifest placeholders or the Toolkit variables that use them', () => {
    const manifest = readFileSync(join(projectRoot, 'teamsapp', 'appPackage', 'manifest.json'), 'utf8');
    const toolkit = readFileSync(join(projectRoot, 'teamsapp', 'm365agents.yml'), 'utf8');
    const outputs = [...mainBicep.matchAll(/^output (\w+) /gm)].map((match) => match[1] ?? '');
    expect(outputs.length).toBeGreaterThan(4);
    for (const name of outputs) {
      const used =
        configVariables.includes(name) ||
        manifest.includes(`\${{${name}}}`) ||
        toolkit.includes(`\${{${name}}}`);
      expect(used, name).toBe(true);
    }
  });

  it('each environment has a parameters file that sets only declared parameters and all required ones', () => {
    const declared = declaredParameters(mainBicep);
    const required = declared.filter((match) => match[2] === undefined).map((match) => match[1]);
    for (const env of ['dev', 'prod']) {
      const file = `main.${env}.parameters.json`;
      expect(existsSync(join(projectRoot, 'infra', file)), file).toBe(true);
      const parameters = Object.keys((JSON.parse(infra(file)) as { parameters: object }).parameters);
      expect(parameters.filter((name) => !declared.some((match) => match[1] === name))).toEqual([]);
      expect(required.filter((name) => !parameters.includes(name ?? ''))).toEqual([]);
    }
  });

  it('every module main.bicep uses exists, and is given only parameters it declares', () => {
    const blocks = mainBicep.split(/^(?=module )/m).slice(1);
    expect(blocks.length).toBe(6);
    for (const block of blocks) {
      const path = /^module \w+ '([^']+)'/.exec(block)?.[1] ?? '';
      const module = infra(path);
      // Parameter names are the keys after `params:`, once quoted strings (URLs have colons) are blanked.
      const params = block.slice(block.indexOf('params:') + 'params:'.length).split(/^}/m)[0] ?? '';
      const given = [...params.replace(/'[^']*'/g, "''").matchAll(/(\w+):/g)].map((param) => param[1]);
      const declared = declaredParameters(module).map((param) => param[1]);
      expect(given.length, path).toBeGreaterThan(2);
      expect(
        given.filter((name) => !declared.includes(name)),
        path,
      ).toEqual([]);
    }
  });
});
