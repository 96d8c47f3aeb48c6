#!/bin/sh
# Generate a C file holding every plots/*.gp template as a string, so the
# binary draws figures without knowing where it was installed.
set -eu
echo "/* generated from the plots folder by sim/output/embed_plots.sh: do not edit */"
echo "#include <stddef.h>"
echo "const struct plot_tmpl { const char *name; const char *text; } plot_templates_gen[] = {"
for f in "$@"; do
    name=$(basename "$f" .gp)
    printf '    {"%s",\n' "$name"
    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/     "/' -e 's/$/\\n"/' "$f"
    printf '    },\n'
done
echo "    {NULL, NULL},"
echo "};"
