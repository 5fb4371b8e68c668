package dev.llmtask.testkit;

import com.fasterxml.jackson.databind.JsonNode;

/** Schemas shared by the tests. */
final class Schemas {

  private Schemas() {}

  /** The running example's result, in OpenAI strict form. */
  static final JsonNode ROTATION =
      TestHttp.json(
          """
          {"type":"object",
           "properties":{
             "decision":{"type":"string","enum":["eligible","not_eligible","not_specified"]},
             "rotation_window_days":{"type":"integer","minimum":0,"maximum":365},
             "source_line_ids":{"type":"array","items":{"type":"string"},"minItems":1}
           },
           "required":["decision","rotation_window_days","source_line_ids"],
           "additionalProperties":false}
          """);

  /** Every supported keyword at least once. */
  static final JsonNode REPRESENTATIVE =
      TestHttp.json(
          """
          {"type":"object",
           "properties":{
             "decision":{"type":"string","enum":["eligible","not_eligible","not_specified"]},
             "rotation_window_days":{"type":"integer","minimum":0,"maximum":365},
             "source_line_ids":{"type":"array","items":{"type":"string","pattern":"^P-\\\\d{1,3}$"},
                                "minItems":2,"maxItems":5},
             "note":{"type":["string","null"]},
             "priority":{"anyOf":[{"$ref":"#/$defs/priority"},{"type":"null"}]},
             "account":{"$ref":"#/$defs/account"},
             "legacy":{"$ref":"#/definitions/legacy"},
             "confidence":{"type":"number","exclusiveMinimum":0,"exclusiveMaximum":1},
             "batch_size":{"type":"integer","minimum":7,"maximum":40,"multipleOf":5},
             "ratio":{"type":"number","minimum":0.5,"maximum":2.5,"multipleOf":0.25},
             "contact":{"type":"string","format":"email"},
             "due":{"type":"string","format":"date"},
             "checked_at":{"type":"string","format":"date-time"},
             "id":{"type":"string","format":"uuid"},
             "code":{"type":"string","minLength":3,"maxLength":3},
             "stale":{"type":"boolean"},
             "kind":{"const":"rotation"},
             "tags":{"type":"array","items":{"type":"string"},"maxItems":0}
           },
           "required":["decision","rotation_window_days","source_line_ids","note","priority",
                       "account","legacy","confidence","batch_size","ratio","contact","due",
                       "checked_at","id","code","stale","kind","tags"],
           "additionalProperties":false,
           "$defs":{
             "priority":{"type":"string","enum":["low","normal","high"]},
             "account":{"type":"object",
                        "properties":{
                          "account_id":{"type":"string","minLength":12,"maxLength":20},
                          "age_days":{"type":"integer","minimum":1},
                          "owner":{"anyOf":[{"$ref":"#/$defs/owner"},{"type":"null"}]}
                        },
                        "required":["account_id","age_days","owner"],
                        "additionalProperties":false},
             "owner":{"type":"object","properties":{"name":{"type":"string"}},
                      "required":["name"],"additionalProperties":false}
           },
           "definitions":{
             "legacy":{"type":"integer","exclusiveMaximum":-10}
           }}
          """);

  /** A recursive tree whose children are a required array of nodes. */
  static final JsonNode RECURSIVE =
      TestHttp.json(
          """
          {"type":"object",
           "properties":{"root":{"$ref":"#/$defs/node"}},
           "required":["root"],"additionalProperties":false,
           "$defs":{"node":{"type":"object",
             "properties":{
               "label":{"type":"string"},
               "parent":{"anyOf":[{"$ref":"#/$defs/node"},{"type":"null"}]},
               "children":{"type":"array","items":{"$ref":"#/$defs/node"}}
             },
             "required":["label","parent","children"],"additionalProperties":false}}}
          """);
}
