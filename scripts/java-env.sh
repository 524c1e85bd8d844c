# Sourced by ./ffnn and ./run-tests: finds a JDK 25 or newer and exports JAVA_HOME and MAVEN_OPTS.
#
# ffnn compiles with --release 25, so an older JDK cannot build it, even one with the final FFM API (22+).
#
# Order: $JAVA_HOME, then the `java` on PATH, when either is 25 or newer. Otherwise the newest JDK
# inside the usual install folders wins: /usr/lib/jvm, /usr/java, /opt/java, /opt, SDKMAN, IntelliJ's
# ~/.jdks and macOS's /Library/Java/JavaVirtualMachines, or the colon-separated folders of
# FFNN_JDK_SEARCH_DIRS when it is set. A JDK, not a JRE, is needed because the first run compiles
# ffnn with Maven.

ffnn_min_java=25

# Prints the feature version (17, 21, 25, ...) of the JDK at $1, or nothing if it is not a JDK.
ffnn_jdk_version() {
    local home=$1 version=""
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
    if [ -r "$home/release" ]; then
        version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
    fi
    if [ -z "$version" ]; then
        version=$("$home/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
    fi
    version=${version#1.}
    printf '%s\n' "${version%%[!0-9]*}"
}

ffnn_find_jdk() {
    local best="" best_version=0 candidate version java_on_path root

    # An explicit JAVA_HOME, then the java on PATH, win when they are new enough
    local preferred=()
    [ -n "${JAVA_HOME:-}" ] && preferred+=("$JAVA_HOME")
    if java_on_path=$(command -v java 2>/dev/null); then
        java_on_path=$(readlink -f "$java_on_path")
        preferred+=("${java_on_path%/bin/java}")
    fi
    for candidate in "${preferred[@]}"; do
        version=$(ffnn_jdk_version "$candidate")
        if [ -n "$version" ] && [ "$version" -ge "$ffnn_min_java" ]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done

    # Otherwise the newest JDK in the install folders
    local roots=(/usr/lib/jvm /usr/java /opt/java /opt /Library/Java/JavaVirtualMachines)
    if [ -n "${HOME:-}" ]; then
        roots+=("$HOME/.sdkman/candidates/java" "$HOME/.jdks")
    fi
    if [ -n "${FFNN_JDK_SEARCH_DIRS:-}" ]; then
        IFS=: read -r -a roots <<< "$FFNN_JDK_SEARCH_DIRS"
    fi
    for root in "${roots[@]}"; do
        for candidate in "$root"/*; do
            [ -d "$candidate/Contents/Home" ] && candidate=$candidate/Contents/Home
            [ -d "$candidate" ] || continue
            version=$(ffnn_jdk_version "$candidate")
            if [ -n "$version" ] && [ "$version" -ge "$ffnn_min_java" ] && [ "$version" -gt "$best_version" ]; then
                best=$candidate
                best_version=$version
            fi
        done
    done
    [ -n "$best" ] || return 1
    printf '%s\n' "$best"
}

if ! ffnn_java_home=$(ffnn_find_jdk); then
    {
        echo "ffnn: no JDK $ffnn_min_java or newer found (ffnn compiles with --release 25 and uses the Foreign Function & Memory API)."
        if [ -n "${JAVA_HOME:-}" ]; then
            java_home_version=$(ffnn_jdk_version "$JAVA_HOME" || true)
            echo "  JAVA_HOME=$JAVA_HOME ${java_home_version:+is version $java_home_version.}${java_home_version:-is not a JDK (no bin/java and bin/javac).}"
        fi
        echo "  Looked in: \$JAVA_HOME, the java on PATH, and ${FFNN_JDK_SEARCH_DIRS:-/usr/lib/jvm, /usr/java, /opt, ~/.sdkman, ~/.jdks}."
        echo "  Fix: install a JDK 25, for example 'apt-get install temurin-25-jdk' (Adoptium's Debian repository)"
        echo "  or 'apt-get install openjdk-25-jdk' where your distribution has it, then run this again;"
        echo "  or point JAVA_HOME at an installed JDK 25+: JAVA_HOME=/path/to/jdk-25 ${ffnn_command:-./ffnn} ..."
    } >&2
    exit 1
fi
export JAVA_HOME=$ffnn_java_home
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's own libraries call sun.misc.Unsafe and load a native library on start. These flags keep JDK
# 24+ from printing warnings about that, so the only output is ffnn's.
export MAVEN_OPTS="${MAVEN_OPTS:-} --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"

ffnn_require_maven() {
    if ! command -v mvn >/dev/null 2>&1; then
        echo "ffnn: Maven (mvn) was not found on PATH; install Maven 3.8 or newer (for example 'apt-get install maven') and run this again." >&2
        exit 1
    fi
}
