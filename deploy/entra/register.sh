#!/usr/bin/env bash
# Registers (or updates) the two Entra ID app registrations DaprReservations signs in with, for one environment:
#   daprreservations-api-<env>  the API every service validates tokens for: v2 access tokens, delegated scope
#                               access_as_user, app role admin (assigned to users)
#   daprreservations-web-<env>  web, the backend-for-frontend: a confidential client (authorization code + PKCE) with
#                               the sign-in / sign-out callbacks of <host>, allowed the API's scope with admin consent
# and stores web's client secret in Key Vault as web-signin-client-secret. Safe to run again: it finds the
# registrations by display name, keeps the scope's and role's ids, and makes a new client secret only when the vault
# has none (or ROTATE_SECRET=1). Prints the settings for deploy/aks/overlays/<env>/azure-settings.env.
#
# Usage: deploy/entra/register.sh <env> <web host> <key vault name> [admin user principal name]
# Needs: az (signed in to the tenant: `az login --tenant <tenant id>`), the Application Administrator (or Cloud
# Application Administrator) role to grant admin consent, and "Key Vault Secrets Officer" on the vault.
# Why each setting is as it is: deploy/entra/README.md.
set -euo pipefail

env=${1:?usage: register.sh <env> <web host> <key vault name> [admin user principal name]}
host=${2:?web host name, e.g. dev.daprreservations.example.com}
vault=${3:?Key Vault name (Bicep output keyVaultName)}
admin_user=${4:-}
secret_name=web-signin-client-secret
graph=https://graph.microsoft.com/v1.0

new_id() { cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen | tr 'A-Z' 'a-z'; }

# The app id (client id) of the registration with this display name, created when there is none.
registration() {
  local id
  id=$(az ad app list --display-name "$1" --query "[0].appId" -o tsv)
  if [ -z "$id" ]; then
    id=$(az ad app create --display-name "$1" --sign-in-audience AzureADMyOrg --query appId -o tsv)
    echo "created $1 ($id)" >&2
  fi
  echo "$id"
}

# The enterprise application (service principal) of a registration: consent and role assignments live on it.
service_principal() {
  az ad sp show --id "$1" --query id -o tsv 2>/dev/null || az ad sp create --id "$1" --query id -o tsv
}

patch_app() { # <app id> <json>
  az rest --method PATCH --uri "$graph/applications(appId='$1')" --headers Content-Type=application/json \
    --body "$2" --output none
}

tenant=$(az account show --query tenantId -o tsv)

# ---- the API: what every service validates (Auth:Audience = its client id, Auth:Scope = access_as_user)
api=$(registration "daprreservations-api-$env")
scope_id=$(az ad app show --id "$api" --query "api.oauth2PermissionScopes[?value=='access_as_user'].id | [0]" -o tsv)
[ -n "$scope_id" ] || scope_id=$(new_id)
role_id=$(az ad app show --id "$api" --query "appRoles[?value=='admin'].id | [0]" -o tsv)
[ -n "$role_id" ] || role_id=$(new_id)
# requestedAccessTokenVersion 2 (the manifest's accessTokenAcceptedVersion): tokens for this API are v2, so aud is the
# client id and iss https://login.microsoftonline.com/<tenant>/v2.0. api://<client id> is the identifier URI every
# tenant accepts (Entra refuses api://<plain name> under its identifier URI restrictions).
patch_app "$api" "$(cat <<JSON
{
  "identifierUris": ["api://$api"],
  "api": {
    "requestedAccessTokenVersion": 2,
    "oauth2PermissionScopes": [{
      "id": "$scope_id", "value": "access_as_user", "type": "User", "isEnabled": true,
      "adminConsentDisplayName": "Use DaprReservations as the signed-in user",
      "adminConsentDescription": "Lets the DaprReservations web app call its services on behalf of the signed-in user.",
      "userConsentDisplayName": "Use DaprReservations as you",
      "userConsentDescription": "Lets the DaprReservations web app reserve and order on your behalf."
    }]
  },
  "appRoles": [{
    "id": "$role_id", "value": "admin", "allowedMemberTypes": ["User"], "isEnabled": true,
    "displayName": "Admin", "description": "Operators: catalog writes, reconcile, sweeps and reports."
  }]
}
JSON
)"
api_sp=$(service_principal "$api")

# ---- web: the confidential client of the backend-for-frontend
web=$(registration "daprreservations-web-$env")
# Redirect URIs: the OpenID Connect callback and the post-logout return (Entra only returns to a registered URI).
# logoutUrl: front-channel logout, so signing out of Entra elsewhere ends web's session too. No implicit grant.
# Microsoft Graph's openid, profile, offline_access (delegated) beside the API's scope.
patch_app "$web" "$(cat <<JSON
{
  "web": {
    "redirectUris": ["https://$host/signin-oidc", "https://$host/signout-callback-oidc"],
    "logoutUrl": "https://$host/signout-oidc",
    "implicitGrantSettings": { "enableIdTokenIssuance": false, "enableAccessTokenIssuance": false }
  },
  "requiredResourceAccess": [
    { "resourceAppId": "$api", "resourceAccess": [{ "id": "$scope_id", "type": "Scope" }] },
    { "resourceAppId": "00000003-0000-0000-c000-000000000000", "resourceAccess": [
      { "id": "37f7f235-527c-4136-accd-4a02d197296e", "type": "Scope" },
      { "id": "14dad69e-099b-42c9-810b-d002981feec1", "type": "Scope" },
      { "id": "7427e0e9-2fba-42fe-b0c0-848c9e6a8182", "type": "Scope" }
    ] }
  ]
}
JSON
)"
service_principal "$web" >/dev/null
# Consent once for the whole tenant, so no user sees a consent prompt for the API's scope.
az ad app permission admin-consent --id "$web"

# ---- web's client secret: only in Key Vault (and, from there, the Kubernetes Secret web-signin)
has_secret() { az keyvault secret show --vault-name "$vault" -n "$secret_name" --query id -o tsv >/dev/null 2>&1; }
if [ "${ROTATE_SECRET:-0}" = 1 ] || ! has_secret; then
  # --append keeps the current secret valid until the pods run with the new one (docs/operations.md, rotation).
  secret=$(az ad app credential reset --id "$web" --append --display-name "web-signin $(date -u +%Y-%m-%d)" --years 1 \
    --query password -o tsv)
  az keyvault secret set --vault-name "$vault" -n "$secret_name" --file <(printf '%s' "$secret") --encoding utf-8 \
    --expires "$(date -u -d '+1 year' +%Y-%m-%dT%H:%M:%SZ)" --output none
  unset secret
  echo "stored a new client secret for web in $vault/$secret_name" >&2
fi

# ---- the admin role for an operator (customers need no assignment: any user of the tenant may sign in)
if [ -n "$admin_user" ]; then
  user=$(az ad user show --id "$admin_user" --query id -o tsv)
  assigned=$(az rest --method GET --uri "$graph/servicePrincipals/$api_sp/appRoleAssignedTo" \
    --query "length(value[?principalId=='$user' && appRoleId=='$role_id'])" -o tsv)
  if [ "$assigned" = 0 ]; then
    az rest --method POST --uri "$graph/servicePrincipals/$api_sp/appRoleAssignedTo" \
      --headers Content-Type=application/json --output none \
      --body "{\"principalId\": \"$user\", \"resourceId\": \"$api_sp\", \"appRoleId\": \"$role_id\"}"
    echo "assigned admin to $admin_user" >&2
  fi
fi

cat <<SETTINGS
# deploy/aks/overlays/$env/azure-settings.env
Auth__Authority=https://login.microsoftonline.com/$tenant/v2.0
Auth__Audience=$api
Auth__Scope=access_as_user
SignIn__ClientId=$web
SignIn__ApiScope=api://$api/access_as_user
# deploy/bicep/parameters.$env.bicepparam
param entraApiClientId = '$api'
param entraWebClientId = '$web'
SETTINGS
