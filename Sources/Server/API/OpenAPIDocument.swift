/// The API's description, served at /api/v1/openapi.yaml. ServerTests request every path it lists and compare
/// the answers with what it says, so the two cannot drift apart unnoticed.
enum OpenAPIDocument {
    static let yaml = """
        openapi: 3.0.3
        info:
          title: Murojaat API
          version: "1"
          description: Appeals of the Migration Agency, their deadlines and history.
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
                "401": {description: Not signed in}
                "404": {description: No such appeal, or not the caller's department}
        components:
          securitySchemes:
            bearer: {type: http, scheme: bearer}
            session: {type: apiKey, in: cookie, name: murojaat_session}
          schemas:
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
