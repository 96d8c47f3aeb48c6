/*
 * Replays fuzz inputs (files given as arguments) through the fuzz target
 * without libFuzzer: `make check` runs it on tests/fuzz/regressions/ and
 * the seed corpus under any compiler, so a fixed crash stays fixed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int n = 0;
    for (int i = 1; i < argc; i++) {
        FILE *fp = fopen(argv[i], "rb");
        if (!fp)
            continue;
        static uint8_t buf[1 << 22];
        size_t len = fread(buf, 1, sizeof buf, fp);
        fclose(fp);
        LLVMFuzzerTestOneInput(buf, len);
        n++;
    }
    printf("fuzz replay: %d inputs, no crash\n", n);
    return 0;
}
