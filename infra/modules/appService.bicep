// App Service on Linux running the compiled app (`npm start`). Every app setting below is a variable
// src/config.ts reads, or an App Service platform setting; test/unit/infra.test.ts keeps it that way.
param name string
param location string
param tags object
param skuName string
param identityId string
param identityClientId string
param tenantId string
param storageAccountName string
@description('Key Vault holding the secret huddle-answer-key, read through the app identity.')
param keyVaultName string
param tablePrefix string
param allowedTenants string
param admins string
param managers string
param leaders string
param safeguardingLeads string
param anonymityThreshold int
@description('Lets Huddle install itself for staff through Microsoft Graph (README: proactive installation).')
param proactiveInstall bool
@description('Huddle\'s id in the Teams app catalog; needed when proactiveInstall is true.')
param teamsAppCatalogId string
@description('Application Insights connection string; telemetry carries no message text.')
param appInsightsConnectionString string

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${name}-plan'
  location: location
  tags: tags
  kind: 'linux'
  sku: { name: skuName }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: name
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references in app settings are resolved with the user-assigned identity.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      alwaysOn: true
      healthCheckPath: '/healthz'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appCommandLine: 'npm start'
      appSettings: [
        { name: 'MicrosoftAppId', value: identityClientId }
        { name: 'MicrosoftAppType', value: 'UserAssignedMSI' }
        { name: 'MicrosoftAppTenantId', value: tenantId }
        { name: 'AZURE_STORAGE_ACCOUNT_NAME', value: storageAccountName }
        { name: 'AZURE_CLIENT_ID', value: identityClientId }
        { name: 'HOST', value: '0.0.0.0' }
        { name: 'PORT', value: '8080' }
        { name: 'HUDDLE_TABLE_PREFIX', value: tablePrefix }
        { name: 'HUDDLE_ALLOWED_TENANTS', value: allowedTenants }
        { name: 'HUDDLE_ADMINS', value: admins }
        { name: 'HUDDLE_MANAGERS', value: managers }
        { name: 'HUDDLE_LEADERS', value: leaders }
        { name: 'HUDDLE_SAFEGUARDING_LEADS', value: safeguardingLeads }
        { name: 'HUDDLE_ANONYMITY_THRESHOLD', value: string(anonymityThreshold) }
        { name: 'HUDDLE_PROACTIVE_INSTALL', value: string(proactiveInstall) }
        { name: 'HUDDLE_TEAMS_APP_CATALOG_ID', value: teamsAppCatalogId }
        { name: 'HUDDLE_ANSWER_KEY', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=huddle-answer-key)' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'true' }
      ]
    }
  }
}

output hostName string = site.properties.defaultHostName
output resourceId string = site.id
