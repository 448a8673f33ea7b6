// GMime 3 for Swift: GObject's type-check and cast macros are not visible to Swift, so the few that are needed are
// functions here.
#ifndef MUROJAAT_CGMIME_SHIM_H
#define MUROJAAT_CGMIME_SHIM_H

#include <gmime/gmime.h>

static inline gboolean cgmime_is_multipart(GMimeObject *object) { return GMIME_IS_MULTIPART(object); }
static inline gboolean cgmime_is_part(GMimeObject *object) { return GMIME_IS_PART(object); }
static inline gboolean cgmime_is_message_part(GMimeObject *object) { return GMIME_IS_MESSAGE_PART(object); }
static inline GMimeMultipart *cgmime_as_multipart(GMimeObject *object) { return GMIME_MULTIPART(object); }
static inline GMimePart *cgmime_as_part(GMimeObject *object) { return GMIME_PART(object); }
static inline GMimeMessagePart *cgmime_as_message_part(GMimeObject *object) { return GMIME_MESSAGE_PART(object); }
static inline GMimeObject *cgmime_message_object(GMimeMessage *message) { return GMIME_OBJECT(message); }
static inline GMimeStreamMem *cgmime_as_stream_mem(GMimeStream *stream) { return GMIME_STREAM_MEM(stream); }

static inline gboolean cgmime_is_mailbox(InternetAddress *address) { return INTERNET_ADDRESS_IS_MAILBOX(address); }
static inline gboolean cgmime_is_group(InternetAddress *address) { return INTERNET_ADDRESS_IS_GROUP(address); }
static inline InternetAddressMailbox *cgmime_as_mailbox(InternetAddress *address) {
    return INTERNET_ADDRESS_MAILBOX(address);
}
static inline InternetAddressGroup *cgmime_as_group(InternetAddress *address) {
    return INTERNET_ADDRESS_GROUP(address);
}

static inline void cgmime_unref(void *object) { g_object_unref(object); }

// Composing outgoing mail (Mail/SMTP/MessageComposer.swift): parts are added to multiparts and messages as objects.
static inline GMimeObject *cgmime_part_object(GMimePart *part) { return GMIME_OBJECT(part); }
static inline GMimeObject *cgmime_multipart_object(GMimeMultipart *multipart) { return GMIME_OBJECT(multipart); }

#endif
