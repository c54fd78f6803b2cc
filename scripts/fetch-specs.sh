#!/usr/bin/env bash
# Fetches Herald's reference specifications (official schemas, samples and parser vectors that the tests check
# renderings against) from their upstream repositories at pinned commits, and verifies every file's SHA-256.
# docs/specs.md says what each file is for and which tests read it.
#
#   scripts/fetch-specs.sh [DIR]        fetch into DIR (default: $HERALD_SPECS), then verify every file
#   scripts/fetch-specs.sh --check DIR  only verify the files already in DIR, fetch nothing
#
# A relative $HERALD_SPECS is taken relative to the repository root, as the tests take it; a DIR argument is
# relative to the current directory. A fetched file is checked before it is put in place, so a file with the wrong
# bytes never lands in DIR. Files SOURCES.md calls derived (facts restated as data, tool output) and the excerpt
# from the Teams documentation have no upstream file to fetch: the script names them, and checks them when present.
#
# Exit status: 0 when every file is present with its expected checksum; 1 when a file is missing, differs from its
# checksum or could not be downloaded (each named on one `error:` line); 2 on a usage error.
#
# Needs bash, curl (fetching only) and sha256sum or shasum.
set -euo pipefail

usage() {
    echo "usage: scripts/fetch-specs.sh [DIR]        fetch the reference specifications into DIR (default: \$HERALD_SPECS)" >&2
    echo "       scripts/fetch-specs.sh --check DIR  verify the checksums of the files in DIR only" >&2
    exit 2
}

# One line per file: its path in the specifications folder, its SHA-256, and where it comes from:
#   github:OWNER/REPO@COMMIT:PATH   a verbatim copy of PATH at COMMIT
#   copy:WHY                        not fetchable; WHY says what the file is
# The commits are the short ids the specifications were taken at; GitHub resolves a short commit id in a
# github.com/OWNER/REPO/raw/COMMIT/PATH address (and redirects to the full one), so they are used as they are.
# scilog-sdk-snippets.example.json has no recorded commit of its own; it is pinned at the SciLog commit the other
# SciLog facts were taken from, and its checksum says whether that commit holds the same bytes.
readonly ADAPTIVE_CARDS="github:microsoft/AdaptiveCards@644d933e"
readonly FILES="
adaptive-card-1.4.0.schema.json e1750b01c13459b1d937ae0a8792d825314d54ddd22b1c8159cfd809d2caab09 $ADAPTIVE_CARDS:schemas/1.4.0/adaptive-card.json
adaptive-card-1.5.0.schema.json 32c91fb285180a266a55b3475dd0396e63fe079311714d3a14963b41f5e17920 $ADAPTIVE_CARDS:schemas/1.5.0/adaptive-card.json
adaptivecards-samples/HostConfig__microsoft-teams-dark.json bd1dcacbcf8a05f7d223c20520da0995ae1849112195f789e6355504fa00623e $ADAPTIVE_CARDS:samples/HostConfig/microsoft-teams-dark.json
adaptivecards-samples/HostConfig__microsoft-teams-light.json 52593ded0b4910e1697b5e9fd7d0bcf353a063685318051527ef434e04640a59 $ADAPTIVE_CARDS:samples/HostConfig/microsoft-teams-light.json
adaptivecards-samples/v1.0__Elements__ColumnSet.json e3100d7353f458dc3d58282bace3a18769c3b56244ff74b8d6debeed4bc69b6d $ADAPTIVE_CARDS:samples/v1.0/Elements/ColumnSet.json
adaptivecards-samples/v1.0__Elements__Container.json 080c1e9d511ab67bdfd702e727bfa39092125e22f25da751ad2d76b5de53823d $ADAPTIVE_CARDS:samples/v1.0/Elements/Container.json
adaptivecards-samples/v1.0__Elements__FactSet.Markdown.json 88418e26631d426239f3786051c9450b36986ab5ad9e9e1f66d728fb8099cc3c $ADAPTIVE_CARDS:samples/v1.0/Elements/FactSet.Markdown.json
adaptivecards-samples/v1.0__Elements__FactSet.json b494dfd7db81981f5105bc0bf51751049e1fac03b1574cc88d25f4916ad6634b $ADAPTIVE_CARDS:samples/v1.0/Elements/FactSet.json
adaptivecards-samples/v1.0__Elements__Image.Size.json d8bac5c09aa6c2c7e49b8ada3544379fd3edb6d180ccda0547e25ea62751c9be $ADAPTIVE_CARDS:samples/v1.0/Elements/Image.Size.json
adaptivecards-samples/v1.0__Elements__Image.Style.json 184f580f5e453e70cddfcb4193e814a98122aea7c756aec51701db2629d60b77 $ADAPTIVE_CARDS:samples/v1.0/Elements/Image.Style.json
adaptivecards-samples/v1.0__Elements__Image.json 4365ac1500d3e464c19b9357558122161c7477c29f7623c03873f160cf9cbbf7 $ADAPTIVE_CARDS:samples/v1.0/Elements/Image.json
adaptivecards-samples/v1.0__Elements__ImageSet.ImageSize.json 4e7a4bb0e8940992397d795ea42f66a02feaeff0b8dd72cb6144bd7a6526fe81 $ADAPTIVE_CARDS:samples/v1.0/Elements/ImageSet.ImageSize.json
adaptivecards-samples/v1.0__Elements__ImageSet.json 7f371e812178182c4e645e6576651b79ef2b82592d2b9f3034feb622db700ddf $ADAPTIVE_CARDS:samples/v1.0/Elements/ImageSet.json
adaptivecards-samples/v1.0__Elements__TextBlock.Color.json 5a0ecfc869e0d41ae3a3b76a73c370306394d83a9e39cdf83fd9c1d36b627101 $ADAPTIVE_CARDS:samples/v1.0/Elements/TextBlock.Color.json
adaptivecards-samples/v1.0__Elements__TextBlock.Markdown.json e4735d3fb62b530871660179d0dff6df6da26711965c819805b54ef53b394978 $ADAPTIVE_CARDS:samples/v1.0/Elements/TextBlock.Markdown.json
adaptivecards-samples/v1.0__Elements__TextBlock.Size.json 815c7cab94040f7f93ee7f330a13eb6b56a8c556a44a727dc55117182b87260a $ADAPTIVE_CARDS:samples/v1.0/Elements/TextBlock.Size.json
adaptivecards-samples/v1.0__Elements__TextBlock.Weight.json 49afdaf4c01c491b0c12676a8a8d4e7623f52b9f582babd8a157c599c8f3bdb4 $ADAPTIVE_CARDS:samples/v1.0/Elements/TextBlock.Weight.json
adaptivecards-samples/v1.0__Elements__TextBlock.Wrap.json 0c1aecac5f06bbb97b37161448b5beff54c19c9e8ba1dcc4187f9d2f263607e5 $ADAPTIVE_CARDS:samples/v1.0/Elements/TextBlock.Wrap.json
adaptivecards-samples/v1.2__Elements__ActionSet.json 065efd881533da109fec471e0b67f9d6de594c484b2bdc07ac693f12b409208b $ADAPTIVE_CARDS:samples/v1.2/Elements/ActionSet.json
adaptivecards-samples/v1.2__Elements__Image.DataUri.json a9bbf42b654bfde75d39ef0c347e52fb6582b535d923ff3fa0366d7f5d3a9efd $ADAPTIVE_CARDS:samples/v1.2/Elements/Image.DataUri.json
adaptivecards-samples/v1.2__Elements__RichTextBlock.json b5e98da1db6b8fc22492b438b82195126fb0935bc555027d43ddcaa469658569 $ADAPTIVE_CARDS:samples/v1.2/Elements/RichTextBlock.json
adaptivecards-samples/v1.2__Elements__TextBlock.FontType.json dec94316ca401ec8b44a4b70a35c8b05ba49fe1750c89319cdfb0a3fe0b6c396 $ADAPTIVE_CARDS:samples/v1.2/Elements/TextBlock.FontType.json
adaptivecards-samples/v1.2__Tests__EmptyTextBlock.json f2fe04304a373c7900ae9351ffdb35ceb33119b5eb88ac05f4a66d4cb4556a13 $ADAPTIVE_CARDS:samples/v1.2/Tests/EmptyTextBlock.json
adaptivecards-samples/v1.2__Tests__MultipleActionSets.json 1d6476bb4c2d2264ad32da62c51d608241c217a5be4e1e460fe626dda0bce9f0 $ADAPTIVE_CARDS:samples/v1.2/Tests/MultipleActionSets.json
adaptivecards-samples/v1.2__Tests__RichTextBlock.Highlights.json ac40a0e415ec33ed754376f55849cfbae47152f408f25e12e8c09460f0808f43 $ADAPTIVE_CARDS:samples/v1.2/Tests/RichTextBlock.Highlights.json
adaptivecards-samples/v1.2__Tests__RichTextBlock.Markdown.json 34320b9ebcbf035337296a848f2c3f4505e3bfbdbc1eb9bc3da83c232c6defac $ADAPTIVE_CARDS:samples/v1.2/Tests/RichTextBlock.Markdown.json
adaptivecards-samples/v1.2__Tests__RichTextBlock.TextRun.SelectActions.json 7ccced71c66d420d77fe72cb42631b37854b7c9d9237bf6f9201612d0728607c $ADAPTIVE_CARDS:samples/v1.2/Tests/RichTextBlock.TextRun.SelectActions.json
adaptivecards-samples/v1.3__Elements__RichTextBlock.Underline.json 2b503379fc8f7e6b77b07d72d742b91993c076f5f05e8529438f10874b8859b3 $ADAPTIVE_CARDS:samples/v1.3/Elements/RichTextBlock.Underline.json
adaptivecards-samples/v1.3__Tests__MarkdownBold.json ec8de9624fdec65aecb5c366dc02c8d37865537e8ec01ccfb35f793f2a51a83e $ADAPTIVE_CARDS:samples/v1.3/Tests/MarkdownBold.json
adaptivecards-samples/v1.5__Elements__Table.ShowGridLines.json d76a46c569e6626e1ec6521d3dfa170c02a4d01fa7a7062a8cf2b847bff07afa $ADAPTIVE_CARDS:samples/v1.5/Elements/Table.ShowGridLines.json
adaptivecards-samples/v1.5__Elements__Table.json 9420173db991bdfcd44715dea0cbdbc660364d345398ded13a5e11669ece7463 $ADAPTIVE_CARDS:samples/v1.5/Elements/Table.json
adaptivecards-samples/v1.5__Elements__TextBlock.Style.json 79d73707b55bd98a568a20bee005e70438e9541cdade3a88a92dc8d61d143f6c $ADAPTIVE_CARDS:samples/v1.5/Elements/TextBlock.Style.json
adaptivecards-samples/v1.5__Tests__TextBlock.Markdown.NumberStart.json 686ada4833257e9b23651cdca649984318de8bfd562ce8a4587e5c54bcb98a84 $ADAPTIVE_CARDS:samples/v1.5/Tests/TextBlock.Markdown.NumberStart.json
adaptivecards-samples/v1.6__Elements__ImageSet.Stacked.Style.json a606a95965bc28026f42885689f1901a339c514fb13e41b4832a7db86ee0d474 $ADAPTIVE_CARDS:samples/v1.6/Elements/ImageSet.Stacked.Style.json
signal-cli-rest-api.swagger.json fda209572040abe38bf7bc00c72267397006bba13a4213aa024ac16abb32ea7c github:bbernhard/signal-cli-rest-api@a08db23:src/docs/swagger.json
scilog-sdk-snippets.example.json 4c7375c3c6073f3a2e2e30a5d8fef0c44bf47ebd4460a815a271dd579a5c1185 github:paulscherrerinstitute/scilog@eead831:sdk/python/examples/assets/snippets.json
adaptivecards-samples/MANIFEST.json 78683a3450fa4b51baae999d0e82fdbbd8f68e4b78b9632b035fbdd8d0fc4ea8 copy:derived: which sample validates against which schema (python jsonschema, Draft6Validator)
teams-webhook-envelope.schema.json 52e8292d0f6ec9feff594f9e4336e6b220f58eb53fb932d95c3fef919bd77d45 copy:derived: the incoming-webhook and Workflows envelope, restated from the Microsoft Teams documentation
teams-webhook-mention.example.json a5e0f872a23364afefcc1e455732fe4d5543f8de61a1163dc4cf02583c812f58 copy:an example cut from a page of MicrosoftDocs/msteams-docs (cards-format.md), not a file of its own
signal-textstyle-cases.json 9576d50a58364def154bb97c9b7bfaa736470f784deb081542b0ae224452eb8a copy:derived: signal-cli-rest-api's textstyleparser vectors and the output of a port of its parser
scilog-paragraph-model.json 90cd749a3de55022f8e6c11a09a8b1c6a92e2b6d4522f39ab43a2cc1d349168c copy:derived: SciLog's Paragraph model, SDK and editor facts restated as data
angular-html-sanitizer-allowlist.json 472757dcb279a5d898acebbb25f7895f3b7146789fbec32da78d44c4117b064b copy:derived: the lists of Angular's HTML sanitizer
commonmark-escape-oracle.json e24941fb4be081c989644e8d7fddfe6355d3553ca9f892d479dc82e6dc89f762 copy:tool output: what cmark-gfm 0.29.0.gfm.6 makes of escaped literals
"

repository_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

sha256_of() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum <"$1" | cut -c1-64
    else
        shasum -a 256 <"$1" | cut -c1-64
    fi
}

# Downloads source $2 (github:OWNER/REPO@COMMIT:PATH) to file $1. Fails with curl's own message.
download() {
    local target=$1 source=${2#github:}
    local repository=${source%%@*} rest=${source#*@}
    local commit=${rest%%:*} path=${rest#*:}
    curl --fail --silent --show-error --location --retry 3 --max-time 60 \
        --output "$target" "https://github.com/$repository/raw/$commit/$path"
}

mode=fetch
case "${1:-}" in
--check)
    [ $# -eq 2 ] || usage
    mode=check
    directory=$2
    ;;
-h | --help) usage ;;
-*) usage ;;
"")
    [ $# -eq 0 ] || usage
    if [ -z "${HERALD_SPECS:-}" ]; then
        echo "error: no folder given and HERALD_SPECS is not set" >&2
        usage
    fi
    case "$HERALD_SPECS" in
    /*) directory=$HERALD_SPECS ;;
    *) directory="$(repository_root)/$HERALD_SPECS" ;;
    esac
    ;;
*)
    [ $# -eq 1 ] || usage
    directory=$1
    ;;
esac

if [ "$mode" = check ] && [ ! -d "$directory" ]; then
    echo "error: $directory: not a folder" >&2
    exit 1
fi
if [ "$mode" = fetch ]; then
    command -v curl >/dev/null 2>&1 || { echo "error: curl is needed to fetch the specifications" >&2; exit 1; }
    mkdir -p "$directory/adaptivecards-samples"
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
fi

verified=0
failed=0
# Reports one file's failure.
fail() {
    echo "error: $1" >&2
    failed=$((failed + 1))
}
while read -r name expected source; do
    [ -n "$name" ] || continue
    file="$directory/$name"
    if [ "$mode" = fetch ] && [[ "$source" == github:* ]] && ! { [ -f "$file" ] && [ "$(sha256_of "$file")" = "$expected" ]; }; then
        download_to="$scratch/download"
        if ! download "$download_to" "$source"; then
            fail "$name: could not download ${source#github:}"
            continue
        fi
        actual=$(sha256_of "$download_to")
        if [ "$actual" != "$expected" ]; then
            fail "$name: ${source#github:} has SHA-256 $actual, expected $expected; not installed"
            continue
        fi
        mv "$download_to" "$file"
        echo "fetched  $name"
    fi
    if [ ! -f "$file" ]; then
        if [[ "$source" == copy:* ]]; then
            fail "$name: missing; it cannot be fetched (${source#copy:}): copy it from the project's shared folder of reference specifications"
        else
            fail "$name: missing; run scripts/fetch-specs.sh $directory to fetch it"
        fi
        continue
    fi
    actual=$(sha256_of "$file")
    if [ "$actual" != "$expected" ]; then
        fail "$name: SHA-256 $actual, expected $expected"
        continue
    fi
    echo "ok       $name"
    verified=$((verified + 1))
done <<<"$FILES"

echo "$verified verified, $failed failed in $directory"
[ "$failed" -eq 0 ]
