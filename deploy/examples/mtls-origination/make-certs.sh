#!/bin/sh
# Creates a test CA, a server certificate for mtls.example.test (the upstream) and a client
# certificate (the gateway's), and writes the gateway's Secret as DIR/client-credential.yaml.
#   make-certs.sh DIR      e.g. make-certs.sh /tmp/mtls   (certificates go to DIR/certs)
set -eu
dir=${1:?usage: make-certs.sh DIR}
certs="$dir/certs"
mkdir -p "$certs"
cd "$certs"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
  -subj "/CN=Example Test CA" -keyout ca.key -out ca.pem 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=mtls.example.test" \
  -keyout server.key -out server.csr 2>/dev/null
printf 'subjectAltName=DNS:mtls.example.test\nextendedKeyUsage=serverAuth\n' > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
  -extfile server.ext -out server.pem 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=egress-gateway" \
  -keyout client.key -out client.csr 2>/dev/null
printf 'extendedKeyUsage=clientAuth\n' > client.ext
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
  -extfile client.ext -out client.pem 2>/dev/null
b64() { base64 < "$1" | tr -d '\n'; }
cat > "$dir/client-credential.yaml" <<YAML
apiVersion: v1
kind: Secret
metadata:
  name: client-credential
  namespace: istio-system
type: kubernetes.io/tls
data:
  tls.crt: $(b64 client.pem)
  tls.key: $(b64 client.key)
  ca.crt: $(b64 ca.pem)
YAML
chmod 600 client.key server.key ca.key "$dir/client-credential.yaml"
echo "wrote $dir/client-credential.yaml and $certs/{ca,server,client}.pem"
