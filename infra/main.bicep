// Huddle in one resource group: identity, storage, Key Vault, monitoring, App Service and the Azure Bot.
// Deploy: az deployment group create -g <group> -f infra/main.bicep -p @infra/main.<env>.parameters.json
targetScope = 'resourceGroup'

@description('Short environment name, e.g. dev or prod; part of every resource name.')
param environmentName string
param location string = resourceGroup().location
@description('Letters and digits only; keeps names unique within Azure.')
@maxLength(10)
param appName string = 'huddle'
param botDisplayName string = 'Huddle'
@description('App Service plan size. B1 suits one care provider; P0v3 for several instances.')
param appServiceSku string = 'B1'
param botSku string = 'S1'
param tablePrefix string = 'huddle'
@description('Comma-separated tenant ids allowed to use this bot; empty allows only this tenant through Teams.')
param allowedTenants string = tenant().tenantId
@description('Comma-separated AAD object ids or UPNs given each role at start-up.')
param admins string = ''
param managers string = ''
param leaders string = ''
param safeguardingLeads string = ''
@minValue(3)
param anonymityThreshold int = 5
// Proactive installation: Huddle installs itself, through Microsoft Graph, for staff it shares no team with.
// Before turning it on, an admin grants the app identity below (identity.outputs.principalId) the Graph
// application permission TeamsAppInstallation.ReadWriteSelfForUser.All (an app role assignment: a managed
// identity has no consent screen), and takes Huddle's catalog id from the Teams admin centre (Manage apps) or
// GET /appCatalogs/teamsApps?$filter=externalId eq '<manifest id>'. README: Operations, proactive installation.
@description('true lets Huddle install itself for staff through Microsoft Graph (needs the permission above).')
param proactiveInstall bool = false
@description('Huddle\'s id in your Teams app catalog (not the manifest id); required when proactiveInstall is true.')
param teamsAppCatalogId string = ''

var suffix = uniqueString(resourceGroup().id, environmentName)
var baseName = '${appName}-${environmentName}'
var tags = { app: 'huddle', environment: environmentName }

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: { name: '${baseName}-id', location: location, tags: tags }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: take(toLower('${appName}${environmentName}${suffix}'), 24)
    location: location
    tags: tags
    appPrincipalId: identity.outputs.principalId
  }
}

module keyVault 'modules/keyVault.bicep' = {
  name: 'keyVault'
  params: {
    name: take('${appName}-${environmentName}-${suffix}', 24)
    location: location
    tags: tags
    appPrincipalId: identity.outputs.principalId
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { name: baseName, location: location, tags: tags }
}

module app 'modules/appService.bicep' = {
  name: 'appService'
  params: {
    name: '${baseName}-${suffix}'
    location: location
    tags: tags
    skuName: appServiceSku
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    tenantId: identity.outputs.tenantId
    storageAccountName: storage.outputs.accountName
    keyVaultName: keyVault.outputs.name
    tablePrefix: tablePrefix
    allowedTenants: allowedTenants
    admins: admins
    managers: managers
    leaders: leaders
    safeguardingLeads: safeguardingLeads
    anonymityThreshold: anonymityThreshold
    proactiveInstall: proactiveInstall
    teamsAppCatalogId: teamsAppCatalogId
    appInsightsConnectionString: monitoring.outputs.connectionString
  }
}

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    name: '${baseName}-bot-${suffix}'
    tags: tags
    displayName: botDisplayName
    endpoint: 'https://${app.outputs.hostName}/api/messages'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    tenantId: identity.outputs.tenantId
    skuName: botSku
  }
}

// Named exactly as the variables src/config.ts reads, so a local run can point at the deployed storage.
output MicrosoftAppId string = identity.outputs.clientId
output MicrosoftAppType string = 'UserAssignedMSI'
output MicrosoftAppTenantId string = identity.outputs.tenantId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.accountName
output AZURE_CLIENT_ID string = identity.outputs.clientId
// Named as the Teams app manifest's placeholders (teamsapp/appPackage/manifest.json).
output BOT_ID string = identity.outputs.clientId
output BOT_DOMAIN string = app.outputs.hostName
// Named as the Agents Toolkit's zipDeploy step expects (teamsapp/m365agents.yml).
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = app.outputs.resourceId
