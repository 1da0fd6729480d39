# The reconciler as a container image (docs/install.md): built in the .NET SDK image, run in runtime-deps with a
# self-contained publish, so the final image holds the reconciler and the native libraries it needs, no SDK and no
# shared runtime, and runs as a non-root user.
#
#   docker build -t reconciler:1.2.3 --build-arg VERSION=1.2.3 --build-arg REVISION=$(git rev-parse HEAD) .
#   docker run --rm -v "$PWD:/work:ro" reconciler:1.2.3 validate --specs specs
#
# scripts/build-image.sh fills VERSION and REVISION from git (the build context holds no .git, so MinVer cannot
# derive them here). The base images are arguments so that a machine without a registry (the tests') can build with
# local stand-ins; the defaults are the official images.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0

FROM ${SDK_IMAGE} AS build
WORKDIR /src
# The project files first: the restore layer is rebuilt only when a package reference changes, not for every edit.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Reconciler.Cli/Reconciler.Cli.csproj src/Reconciler.Cli/
COPY src/Reconciler.Core/Reconciler.Core.csproj src/Reconciler.Core/
COPY src/Reconciler.Dns/Reconciler.Dns.csproj src/Reconciler.Dns/
COPY src/Reconciler.Git/Reconciler.Git.csproj src/Reconciler.Git/
COPY src/Reconciler.GitHub/Reconciler.GitHub.csproj src/Reconciler.GitHub/
COPY src/Reconciler.Specs/Reconciler.Specs.csproj src/Reconciler.Specs/
COPY src/Reconciler.Ssh/Reconciler.Ssh.csproj src/Reconciler.Ssh/
# Restored for the publish below exactly: self-contained (the runtime pack of the latest patch) and ReadyToRun (the
# crossgen pack), or the publish, which does not restore, finds neither.
RUN dotnet restore src/Reconciler.Cli/Reconciler.Cli.csproj -r linux-x64 -p:SelfContained=true -p:PublishReadyToRun=true
COPY schemas/ schemas/
COPY src/ src/
ARG VERSION=
ARG REVISION=
# Without VERSION, MinVer finds no git here and says 0.0.0-alpha.0 (with a warning).
RUN dotnet publish src/Reconciler.Cli/Reconciler.Cli.csproj -c Release -r linux-x64 --self-contained --no-restore -nologo \
      -o /out ${VERSION:+-p:MinVerVersionOverride=$VERSION} ${REVISION:+-p:SourceRevisionId=$REVISION}

FROM ${RUNTIME_IMAGE}
# The official runtime-deps images have this user (app, 1654); a numeric USER works on any base all the same.
ARG APP_UID=1654
COPY --from=build /out /opt/reconciler
USER ${APP_UID}
# Mount the repository of specs here; the reconciler reads only what its command names (no configuration file).
WORKDIR /work
ENTRYPOINT ["/opt/reconciler/reconciler"]
CMD ["--help"]
