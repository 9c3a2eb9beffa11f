#!/usr/bin/env bash
# Checks what natsmigrate publishes, as a user's project would meet it:
#  1. deploys the reactor into a local staging repository (target/staging), as a release would into Maven Central;
#  2. checks every library artifact: main, sources and javadoc jars, Automatic-Module-Name, and the pom metadata
#     Maven Central requires (name, description, url, licenses, developers, scm; inherited from the parent);
#     the runnable modules (samples, benchmarks) are not published;
#  3. builds and tests examples/consumer-project, which is not part of the reactor, against only the staged
#     repository and Maven Central, with an empty local repository (so no natsmigrate artifact comes from ~/.m2).
# Run after `./mvnw -B verify` (.ci/run does); needs the nats-server the build provisioned for step 3.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
STAGING="$ROOT/target/staging"
VERSION="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' bom/pom.xml | head -1)"
fail() { echo "check-artifacts: $*" >&2; exit 1; }
JAR="$(dirname "$(readlink -f "$(command -v java)")")/jar"
[ -x "$JAR" ] || fail "no jar tool next to $(command -v java): install a JDK (not only a JRE), e.g. apt-get install openjdk-17-jdk-headless"

rm -rf "$STAGING"
echo "check-artifacts: deploying $VERSION into $STAGING"
./mvnw -B -q -DskipTests -Dnatsmigrate.provision.skip=true deploy \
    -DaltDeploymentRepository="staging::file://$STAGING"

group="$STAGING/io/natsmigrate"
parent_pom="$(ls "$group/natsmigrate-parent/$VERSION/"*.pom 2>/dev/null | tail -1)" \
    || fail "the parent pom was not staged"
for tag in '<licenses>' '<developers>' '<scm>' '<url>' '<description>'; do
    grep -q "$tag" "$parent_pom" || fail "the parent pom has no $tag"
done
bom_pom="$(ls "$group/natsmigrate-bom/$VERSION/"*.pom | tail -1)"
for tag in '<licenses>' '<developers>' '<scm>' '<url>' '<description>'; do
    grep -q "$tag" "$bom_pom" || fail "the BOM has no $tag"
done
if grep -q '<artifactId>jnats</artifactId>\|<artifactId>junit' "$bom_pom"; then
    fail "the BOM manages third-party versions; it must manage natsmigrate's artifacts only"
fi

for m in testkit primitives core reliable-publish dual-publish consumer-patterns cli spring-boot-starter; do
    dir="$group/natsmigrate-$m/$VERSION"
    [ -d "$dir" ] || fail "natsmigrate-$m was not staged"
    pom="$(ls "$dir"/*.pom | tail -1)"
    grep -q '<name>' "$pom" && grep -q '<description>' "$pom" || fail "natsmigrate-$m's pom lacks name or description"
    grep -q '<artifactId>natsmigrate-parent</artifactId>' "$pom" || fail "natsmigrate-$m does not inherit the metadata"
    for kind in sources javadoc; do
        ls "$dir"/*-"$kind".jar >/dev/null 2>&1 || fail "natsmigrate-$m has no $kind jar"
    done
    jar="$(ls "$dir"/*.jar | grep -v -- '-sources.jar$' | grep -v -- '-javadoc.jar$' | grep -v -- '-all.jar$' | tail -1)"
    "$JAR" --describe-module --file "$jar" | grep -q '^io\.natsmigrate\.[a-z]*@.* automatic' \
        || fail "natsmigrate-$m's jar has no Automatic-Module-Name"
done
for m in samples benchmarks; do
    [ ! -d "$group/natsmigrate-$m" ] || fail "natsmigrate-$m is a runnable module and must not be published"
done
echo "check-artifacts: staged artifacts complete (main, sources, javadoc jars; metadata; module names)"

consumer_repo="$ROOT/target/consumer-m2"
rm -rf "$consumer_repo"
echo "check-artifacts: building examples/consumer-project with an empty local repository"
./mvnw -B -q -f examples/consumer-project/pom.xml -Dmaven.repo.local="$consumer_repo" \
    -Dnatsmigrate.version="$VERSION" -Dnatsmigrate.repository="file://$STAGING" clean verify
echo "check-artifacts: the consumer project passed against the staged artifacts"
