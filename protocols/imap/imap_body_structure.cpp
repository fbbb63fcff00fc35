// SPDX-License-Identifier: LGPL-3.0-or-later
#include <mailwire/imap_body_structure.h>

#include <map>

#include <QtCore/QDebug>

#include "imap_rfc2047_p.h"

namespace mailwire {

namespace {

QByteArray lookup(const ImapParameterList &params, const QByteArray &name)
{
    for (const auto &p : params) {
        if (p.first.compare(name, Qt::CaseInsensitive) == 0)
            return p.second;
    }
    return QByteArray();
}

// A parameter value that may be RFC 2231 encoded ("name*"), continued ("name*0",
// "name*1*", …, §3) or RFC 2047 encoded (common in practice although RFC 2047 §5 forbids it).
QString decodedParameter(const ImapParameterList &params, const QByteArray &name)
{
    const QByteArray extended = lookup(params, name + '*');
    if (!extended.isNull()) {
        QString decoded = detail::decodeRfc2231(extended);
        if (!decoded.isNull())
            return decoded;
    }
    std::map<int, QByteArray> pieces;
    bool firstIsExtended = false;
    const QByteArray prefix = name.toLower() + '*';
    for (const auto &p : params) {
        const QByteArray key = p.first.toLower();
        if (!key.startsWith(prefix))
            continue;
        QByteArray index = key.mid(prefix.size());
        const bool isExtended = index.endsWith('*');
        if (isExtended)
            index.chop(1);
        bool ok = false;
        const int n = index.toInt(&ok);
        if (!ok || n < 0 || n > 999)
            continue;
        if (n == 0)
            firstIsExtended = isExtended;
        pieces[n] = p.second;
    }
    if (!pieces.empty() && pieces.begin()->first == 0) {
        QByteArray joined;
        for (const auto &piece : pieces)
            joined += piece.second;
        if (firstIsExtended) {
            QString decoded = detail::decodeRfc2231(joined);
            if (!decoded.isNull())
                return decoded;
        }
        return detail::decodeRfc2047(joined);
    }
    const QByteArray plain = lookup(params, name);
    return plain.isNull() ? QString() : detail::decodeRfc2047(plain);
}

// The k-th (1-based) part of a message whose body is `body` (RFC 9051 §6.4.5).
const BodyStructure *childOfBody(const BodyStructure *body, int k)
{
    if (body->kind == BodyStructure::Kind::MultiPart) {
        if (k < 1 || k > int(body->children.size()))
            return nullptr;
        return &body->children[size_t(k - 1)];
    }
    return k == 1 ? body : nullptr;
}

} // namespace

QByteArray BodyStructure::mimeType() const { return type.toLower() + '/' + subtype.toLower(); }

QByteArray BodyStructure::parameter(const QByteArray &name) const
{
    return lookup(parameters, name);
}

QByteArray BodyStructure::dispositionParameter(const QByteArray &name) const
{
    return lookup(dispositionParameters, name);
}

QString BodyStructure::fileName() const
{
    QString name = decodedParameter(dispositionParameters, "filename");
    if (name.isEmpty())
        name = decodedParameter(parameters, "name");
    return name;
}

bool BodyStructure::isAttachment() const
{
    return disposition.compare("attachment", Qt::CaseInsensitive) == 0;
}

const BodyStructure *BodyStructure::partAt(const QByteArray &section) const
{
    if (section.isEmpty() || section == "0")
        return this;
    const QList<QByteArray> numbers = section.split('.');
    const BodyStructure *body = this; // the body of the message being numbered
    const BodyStructure *part = nullptr;
    for (int i = 0; i < numbers.size(); ++i) {
        bool ok = false;
        const int k = numbers.at(i).toInt(&ok);
        if (!ok || k < 1)
            return nullptr;
        part = childOfBody(body, k);
        if (!part)
            return nullptr;
        if (i + 1 == numbers.size())
            break;
        if (part->kind == Kind::Message && !part->children.empty())
            body = &part->children.front();
        else if (part->kind == Kind::MultiPart && part != body)
            body = part;
        else
            return nullptr;
    }
    return part;
}

bool operator==(const BodyStructure &a, const BodyStructure &b)
{
    const auto same = [](const QByteArray &x, const QByteArray &y) {
        return x == y && x.isNull() == y.isNull();
    };
    return a.kind == b.kind && a.type == b.type && a.subtype == b.subtype
        && a.parameters == b.parameters && same(a.id, b.id) && same(a.description, b.description)
        && same(a.encoding, b.encoding) && a.size == b.size && a.lines == b.lines
        && a.envelope == b.envelope && a.children == b.children
        && a.hasExtensionData == b.hasExtensionData && same(a.md5, b.md5)
        && same(a.disposition, b.disposition) && a.dispositionParameters == b.dispositionParameters
        && a.language == b.language && same(a.location, b.location);
}

QDebug operator<<(QDebug debug, const BodyStructure &body)
{
    const QDebugStateSaver saver(debug);
    debug.nospace() << '(' << body.mimeType().constData();
    if (body.kind == BodyStructure::Kind::MultiPart) {
        for (const BodyStructure &child : body.children)
            debug << ' ' << child;
    } else {
        debug << " size=" << body.size;
        if (body.lines >= 0)
            debug << " lines=" << body.lines;
        if (!body.encoding.isEmpty())
            debug << " enc=" << body.encoding.constData();
        for (const auto &p : body.parameters)
            debug << ' ' << p.first.constData() << '=' << p.second.constData();
        if (body.envelope)
            debug << ' ' << *body.envelope;
        for (const BodyStructure &child : body.children)
            debug << ' ' << child;
    }
    if (!body.disposition.isNull())
        debug << " disposition=" << body.disposition.constData();
    debug << ')';
    return debug;
}

} // namespace mailwire
