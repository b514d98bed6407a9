/* Test harness for an exported network: reads quantized images from a file (int32 values in the
 * machine's byte order, FXP_IN_SIZE per image) and writes each image's answer as an int32.
 * Build with the export's folder on the include path and
 *   -DFXP_PREDICT=fixpoint_<model>_predict -DFXP_IN_T=fxp_<model>_input_t -DFXP_IN_SIZE=<values per image>
 * Usage: batch_main IMAGES ANSWERS */
#include <stdint.h>
#include <stdio.h>

#include "model_q.h"

int main(int argc, char **argv)
{
    static int32_t raw[FXP_IN_SIZE];
    static FXP_IN_T image[FXP_IN_SIZE];
    FILE *in;
    FILE *out;
    long count = 0;
    if (argc != 3) {
        fprintf(stderr, "usage: %s IMAGES ANSWERS\n", argv[0]);
        return 2;
    }
    in = fopen(argv[1], "rb");
    out = fopen(argv[2], "wb");
    if (!in || !out) {
        fprintf(stderr, "cannot open %s or %s\n", argv[1], argv[2]);
        return 2;
    }
    while (fread(raw, sizeof raw[0], FXP_IN_SIZE, in) == FXP_IN_SIZE) {
        int32_t answer;
        for (long i = 0; i < FXP_IN_SIZE; ++i) image[i] = (FXP_IN_T)raw[i];
        answer = (int32_t)FXP_PREDICT(image);
        if (fwrite(&answer, sizeof answer, 1, out) != 1) return 2;
        ++count;
    }
    fclose(in);
    fclose(out);
    printf("%ld images\n", count);
    return 0;
}
