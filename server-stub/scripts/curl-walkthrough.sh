#!/usr/bin/env bash
# The docs/SERVER.md walkthrough, runnable: the whole climb with curl alone (plus openssl for the hash).
# Usage: U=http://127.0.0.1:8787 AGENT=$(cat data/agent-token) server-stub/scripts/curl-walkthrough.sh
set -euo pipefail
U=${U:-http://127.0.0.1:8787}
AGENT=${AGENT:-$(cat "${DATA_DIR:-./data}/agent-token")}
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }   # first "key":"value" of a JSON answer
check() { grep -q "$1" || { echo "walkthrough failed: expected $1" >&2; exit 1; }; }

# 0. the site's identity-verification secret (your backend keeps it; agents can read it)
SECRET=$(curl -s "$U/v1/settings" -H "authorization: Bearer $AGENT" | field secret)

# 1. a guest session, as the widget starts it
S=$(curl -s -X POST "$U/v1/sessions" -H 'content-type: application/json' -d '{"siteId":"default","timezone":"Europe/Paris"}')
TOKEN=$(echo "$S" | field token); CONTACT=$(echo "$S" | field id)
echo "$S" | check '"type":"guest"'

# 2. the pre-chat form: name + email make a lead
curl -s -X POST "$U/v1/sync" -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d '{"events":[{"id":"walk-lead-1","type":"lead","name":"Ada Lovelace","email":"ada@example.com"},{"id":"walk-msg-1","type":"message","text":"Hello!"}]}' \
  | check '"type":"lead"'

# 3. the host's backend signs the customer id; the widget identifies with it
HASH=$(printf %s 'cust-1001' | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.* //')
curl -s -X POST "$U/v1/sync" -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d "{\"events\":[{\"id\":\"walk-identify-1\",\"type\":\"identify\",\"customerId\":\"cust-1001\",\"userHash\":\"$HASH\"}]}" \
  | check '"type":"customer"'

# 4. the agent API shows the customer
curl -s "$U/v1/contacts/$CONTACT" -H "authorization: Bearer $AGENT" | check '"customerId":"cust-1001"'

# 5. a custom field, a value, a tag; then filter by both
curl -s -X POST "$U/v1/custom-fields" -H "authorization: Bearer $AGENT" -H 'content-type: application/json' -d '{"name":"Plan","type":"text"}' > /dev/null
curl -s -X PATCH "$U/v1/contacts/$CONTACT" -H "authorization: Bearer $AGENT" -H 'content-type: application/json' -d '{"custom":{"plan":"pro"}}' | check '"plan":"pro"'
curl -s -X PUT "$U/v1/contacts/$CONTACT/tags/VIP" -H "authorization: Bearer $AGENT" | check '"VIP"'
curl -s "$U/v1/contacts?type=customer&tag=vip&field.plan=pro" -H "authorization: Bearer $AGENT" | check "\"id\":\"$CONTACT\""

# 6. a note, read back
curl -s -X PUT "$U/v1/contacts/$CONTACT/note" -H "authorization: Bearer $AGENT" -H 'content-type: application/json' -d '{"text":"Wants the annual plan."}' > /dev/null
curl -s "$U/v1/contacts/$CONTACT" -H "authorization: Bearer $AGENT" | check '"note":"Wants the annual plan."'

echo "walkthrough ok: $CONTACT climbed guest -> lead -> customer, tagged VIP, plan=pro, with a note"
