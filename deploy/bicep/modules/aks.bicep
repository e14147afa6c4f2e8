// AKS with the OIDC issuer and workload identity (pods sign in to Azure as their app's managed identity), the
// application routing add-on (ingress for web, its TLS certificate synced from Key Vault), Azure CNI powered by Cilium
// (enforces the NetworkPolicies of deploy/aks), container insights, and the Microsoft.Dapr cluster extension.
param name string
param location string
param tags object
param nodeCount int
param nodeVmSize string
param availabilityZones string[]
param logAnalyticsWorkspaceId string
param daprHighAvailability bool
param registryName string

// Built-in role: AcrPull.
var acrPullRoleId = '7f951dfd-4ed5-4ae4-a6a6-9b3ca3e9f0a2'

resource cluster 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: name
    enableRBAC: true
    disableLocalAccounts: true
    aadProfile: {
      managed: true
      enableAzureRBAC: true
    }
    agentPoolProfiles: [
      {
        name: 'system'
        mode: 'System'
        count: nodeCount
        vmSize: nodeVmSize
        osType: 'Linux'
        osSKU: 'AzureLinux'
        type: 'VirtualMachineScaleSets'
        availabilityZones: empty(availabilityZones) ? null : availabilityZones
      }
    ]
    // Azure CNI overlay with the Cilium dataplane: NetworkPolicies are enforced (without a policy engine they would be
    // accepted and ignored). Fixed at cluster creation: an existing cluster without it has to be migrated.
    networkProfile: {
      networkPlugin: 'azure'
      networkPluginMode: 'overlay'
      networkDataplane: 'cilium'
      networkPolicy: 'cilium'
    }
    oidcIssuerProfile: {
      enabled: true
    }
    securityProfile: {
      workloadIdentity: {
        enabled: true
      }
    }
    ingressProfile: {
      webAppRouting: {
        enabled: true
      }
    }
    addonProfiles: {
      // The Secrets Store CSI driver: the application routing add-on reads the Ingress certificate from Key Vault
      // with it; rotation picks up a renewed certificate (unversioned URI on the Ingress) within two minutes.
      azureKeyvaultSecretsProvider: {
        enabled: true
        config: {
          enableSecretRotation: 'true'
          rotationPollInterval: '2m'
        }
      }
      omsagent: {
        enabled: true
        config: {
          logAnalyticsWorkspaceResourceID: logAnalyticsWorkspaceId
        }
      }
    }
  }
}

resource dapr 'Microsoft.KubernetesConfiguration/extensions@2023-05-01' = {
  name: 'dapr'
  scope: cluster
  properties: {
    extensionType: 'Microsoft.Dapr'
    autoUpgradeMinorVersion: true
    releaseTrain: 'Stable'
    configurationSettings: {
      'global.ha.enabled': string(daprHighAvailability)
      // mTLS between sidecars (also required by components/config/*.yaml): accessControl identifies callers by it.
      // The Sentry CA rotates its own certificates.
      'global.mtls.enabled': 'true'
    }
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

resource kubeletAcrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, cluster.id, acrPullRoleId)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRoleId)
    principalId: cluster.properties.identityProfile.kubeletidentity.objectId
    principalType: 'ServicePrincipal'
  }
}

output name string = cluster.name
output oidcIssuerUrl string = cluster.properties.oidcIssuerProfile.issuerURL
// The application routing add-on's identity: it reads the Ingress certificate from Key Vault.
output webAppRoutingPrincipalId string = cluster.properties.ingressProfile.webAppRouting.identity.objectId
