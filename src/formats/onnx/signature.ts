// Recognising an ONNX file by its first bytes, without loading the protobuf decoder.

/**
 * Whether bytes start like a serialized ModelProto: field 1 (ir_version, varint) with a small
 * value, then another ModelProto field. Every ONNX writer emits fields in number order.
 */
export function looksLikeOnnx(data: Uint8Array): boolean {
  if (data.length < 3 || data[0] !== 0x08) return false;
  const ir = data[1];
  if (ir < 1 || ir > 30) return false;
  // producer_name, producer_version, domain, model_version, doc_string, graph, opset_import
  return [0x12, 0x1a, 0x22, 0x28, 0x32, 0x3a, 0x42].includes(data[2]);
}
