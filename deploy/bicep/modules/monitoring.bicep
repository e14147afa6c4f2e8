// Log Analytics (AKS container insights, Dapr sidecar logs) and workspace-based Application Insights (the services'
// Azure Monitor OpenTelemetry exporter reads APPLICATIONINSIGHTS_CONNECTION_STRING).
param baseName string
param location string
param tags object

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${baseName}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${baseName}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // Ingestion by Entra-authenticated exporters only would need an identity per exporter; the connection string
    // identifies the resource and is not a secret in itself.
    DisableLocalAuth: false
  }
}

output logAnalyticsWorkspaceId string = workspace.id
output applicationInsightsConnectionString string = appInsights.properties.ConnectionString
