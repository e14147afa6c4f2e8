// Service Bus (Standard: topics need it) with Entra ID only (local SAS auth disabled), one topic per event and one
// subscription per subscribing app id (Dapr's default consumerID), with the redelivery policy of
// components/azure/pubsub.yaml and dead-lettering of expired messages.
param name string
param location string
param tags object
@description('[{ topic: string, subscribers: string[] }]')
param topicSubscriptions array
param maxDeliveryCount int
param lockDurationInSec int

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource topics 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' = [
  for entry in topicSubscriptions: {
    parent: namespace
    name: entry.topic
    properties: {
      defaultMessageTimeToLive: 'P14D'
      enableBatchedOperations: true
    }
  }
]

module subscriptions 'servicebus-subscriptions.bicep' = [
  for (entry, i) in topicSubscriptions: {
    name: 'sb-subscriptions-${i}'
    params: {
      namespaceName: namespace.name
      topicName: topics[i].name
      subscribers: entry.subscribers
      maxDeliveryCount: maxDeliveryCount
      lockDurationInSec: lockDurationInSec
    }
  }
]

output name string = namespace.name
output id string = namespace.id
