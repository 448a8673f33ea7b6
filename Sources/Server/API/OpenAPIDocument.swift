/// The API's description, served at /api/v1/openapi.yaml. ServerTests request every path it lists and compare
/// the answers with what it says, so the two cannot drift apart unnoticed.
enum OpenAPIDocument {
    static let yaml = """
        openapi: 3.0.3
        info:
          title: Murojaat API
          version: "1"
          description: >
            Appeals of the Migration Agency, their deadlines and history. Every refusal (4xx, 5xx) answers an Error
            object: error.message in the first language of Accept-Language among uz, ru and en, else the account's,
            else Uzbek; error.uz, error.ru and error.en in each. The webhook's rejected reasons are in that language
            too.
        servers:
          - url: /api/v1
        security:
          - bearer: []
          - session: []
        paths:
          /me:
            get:
              summary: Who the caller is
              responses:
                "200":
                  description: The signed-in account
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Me"}
                "401": {description: Not signed in}
          /appeals:
            get:
              summary: Appeals by deadline; executors and heads get their own department's only
              parameters:
                - {name: department, in: query, schema: {type: string}}
                - {name: status, in: query, schema: {type: string}}
                - {name: open, in: query, schema: {type: boolean}}
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 1000, default: 100}}
                - {name: offset, in: query, schema: {type: integer, minimum: 0, default: 0}}
              responses:
                "200":
                  description: A page of appeals
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [appeals]
                        properties:
                          appeals:
                            type: array
                            items: {$ref: "#/components/schemas/AppealSummary"}
                "400": {description: Unknown status}
                "401": {description: Not signed in}
                "403": {description: Another department}
            post:
              summary: Webhook ingest of call cards from the call-centre system (an operator's or admin's token)
              description: >
                A call card as a JSON object whose keys are the call-card export's columns (call_id, started_at,
                ended_at, line, caller, operator, caller_name, region, country, language, topic, summary, outcome,
                callback_number), or an array of up to 1000 of them. call_id is the idempotency key, shared with the
                CSV export: a card sent again is counted as a duplicate and changes nothing. A card that cannot be
                read is quarantined with its bytes.
              security:
                - bearer: []
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      oneOf:
                        - {$ref: "#/components/schemas/CallCard"}
                        - {type: array, minItems: 1, maxItems: 1000, items: {$ref: "#/components/schemas/CallCard"}}
              responses:
                "202":
                  description: New cards queued for routing
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/IngestAnswer"}
                "200":
                  description: Nothing new (every card already known)
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/IngestAnswer"}
                "400": {description: Not JSON, or not a card}
                "401": {description: No or unknown token}
                "403": {description: Not an operator's or admin's token, or a browser session}
                "422": {description: No card could be read; quarantined with the reason}
          /appeals/{tracking}:
            get:
              summary: One appeal with its text and history
              parameters:
                - {name: tracking, in: path, required: true, schema: {type: string}}
              responses:
                "200":
                  description: The appeal
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [appeal, text, history]
                        properties:
                          appeal: {$ref: "#/components/schemas/AppealSummary"}
                          text: {type: string}
                          history:
                            type: array
                            items:
                              type: object
                              required: [at, actor, kind]
                              properties:
                                at: {type: string, format: date-time}
                                actor: {type: string}
                                kind: {type: string}
                                status: {type: string}
                                why: {type: string}
                "400": {description: Not a tracking number, or a mistyped one (its check character does not match)}
                "401": {description: Not signed in}
                "404": {description: No such appeal, or not the caller's department}
        components:
          securitySchemes:
            bearer: {type: http, scheme: bearer}
            session: {type: apiKey, in: cookie, name: murojaat_session}
          schemas:
            CallCard:
              type: object
              required: [call_id, started_at]
              properties:
                call_id: {type: string}
                started_at: {type: string, description: "YYYY-MM-DD HH:MM:SS Tashkent, ISO 8601, or DD.MM.YYYY HH:MM"}
                ended_at: {type: string}
                line: {type: string}
                caller: {type: string}
                operator: {type: string}
                caller_name: {type: string}
                region: {type: string}
                country: {type: string}
                language: {type: string}
                topic: {type: string}
                summary: {type: string}
                outcome: {type: string, enum: [appeal, consultation, callback]}
                callback_number: {type: string}
            IngestAnswer:
              type: object
              required: [received, accepted, duplicates, rejected]
              properties:
                received: {type: integer}
                accepted: {type: integer}
                duplicates: {type: integer}
                rejected: {type: array, items: {type: string}}
            Error:
              type: object
              required: [error]
              properties:
                error:
                  type: object
                  required: [message, uz, ru, en]
                  properties:
                    message: {type: string}
                    uz: {type: string}
                    ru: {type: string}
                    en: {type: string}
            Me:
              type: object
              required: [login, name, role, language]
              properties:
                login: {type: string}
                name: {type: string}
                role: {type: string, enum: [operator, executor, head, control, admin]}
                department: {type: string}
                language: {type: string, enum: [uz, ru, en]}
            AppealSummary:
              type: object
              required: [tracking, channel, source_key, co_executors, kind, status, urgent, received_at]
              properties:
                tracking: {type: string}
                channel: {type: string}
                source_key: {type: string}
                department: {type: string}
                co_executors: {type: array, items: {type: string}}
                kind: {type: string, enum: [ariza, taklif, shikoyat]}
                status: {type: string}
                urgent: {type: boolean}
                received_at: {type: string, format: date-time}
                due: {type: string, format: date}
                subject: {type: string}
        """
}
