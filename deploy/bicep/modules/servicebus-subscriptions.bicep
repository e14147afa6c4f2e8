// The subscriptions of one topic: one per subscribing app id (the name Dapr uses as consumerID by default).
param namespaceName string
param topicName string
param subscribers string[]
param maxDeliveryCount int
param lockDurationInSec int

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' existing = {
  name: namespaceName
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' existing = {
  parent: namespace
  name: topicName
}

resource subscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' = [
  for appId in subscribers: {
    parent: topic
    name: appId
    properties: {
      maxDeliveryCount: maxDeliveryCount
      lockDuration: 'PT${lockDurationInSec}S'
      deadLetteringOnMessageExpiration: true
      deadLetteringOnFilterEvaluationExceptions: true
    }
  }
]
