//! Structs and arrays: field order, repetition and presence, array headers and members.

use super::{DecodeError, Elem, Parser, SOAP_ENC, WarningKind, same, text};

/// The most members an array may declare for [`Parser::array_into`] to read them through
/// the shared field loop.
const SMALL_ARRAY: usize = 16;

impl<'a> Parser<'a> {
    /// Decodes the children of a struct element `e` whose schema sequence is `names`:
    /// unknown children are skipped, and order, repetition and required children
    /// (`required` bit mask over `names`) are checked with warnings.
    pub fn fields(
        &mut self,
        e: &Elem<'a>,
        names: &[&'static str],
        required: u32,
        f: impl FnMut(&mut Self, usize, Elem<'a>) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        self.fields_repeated(e, names, required, 0, f)
    }

    /// [`Parser::fields_repeated`] through one shared copy, for structs read once or a few
    /// times per message (the message elements, the fault detail, the members of small
    /// arrays): a copy per struct type inlined with its fields would make the code a small
    /// message runs through larger, which is what bounds its speed. Large arrays of structs
    /// keep the inlined one (see [`Parser::array_into`]).
    #[inline(never)]
    pub fn fields_once(
        &mut self,
        e: &Elem<'a>,
        names: &[&'static str],
        (required, repeatable): (u32, u32),
        f: &mut dyn FnMut(&mut Self, usize, Elem<'a>) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        self.fields_repeated(e, names, required, repeatable, f)
    }

    /// [`Parser::fields`] where the names in the `repeatable` bit mask may occur many times.
    pub fn fields_repeated(
        &mut self,
        e: &Elem<'a>,
        names: &[&'static str],
        required: u32,
        repeatable: u32,
        mut f: impl FnMut(&mut Self, usize, Elem<'a>) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        let mut track = Fields {
            repeatable,
            ..Fields::default()
        };
        let open = !e.empty() && e.leaf.is_none();
        loop {
            // The field expected next (the last one again, or the one after it), read as a
            // literal leaf; anything else through `child`.
            if open {
                let last = (track.seen != 0).then_some(track.last);
                if let Some((i, tag)) = self.fast_field(names, last) {
                    let c = self.open_tag(tag)?;
                    track.see(self, i, &c)?;
                    f(self, i, c)?;
                    continue;
                }
            }
            let Some(c) = self.child(e)? else {
                break;
            };
            match names.iter().position(|n| same(n, c.local)) {
                Some(i) => {
                    track.see(self, i, &c)?;
                    f(self, i, c)?;
                }
                None => {
                    self.warn(WarningKind::UnexpectedElement, c.offset)?;
                    self.skip(&c)?;
                }
            }
        }
        track.finish(self, e, required)
    }

    /// Decodes the members of an array element `e` whose members are `member` elements of
    /// type `ty`, checking its arrayType leniently.
    pub fn array(
        &mut self,
        e: &Elem<'a>,
        member: &str,
        mut f: impl FnMut(&mut Self, Elem<'a>) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        let declared = self.array_header(e, member)?;
        let mut n = 0usize;
        while let Some(c) = self.child(e)? {
            self.count_member(&mut n, &c, member)?;
            f(self, c)?;
        }
        if declared.is_some_and(|d| d != n) {
            self.warn(WarningKind::ArrayCountMismatch, e.offset)?;
        }
        Ok(())
    }

    /// How many members to reserve room for in array `e`: its declared count, bounded by the
    /// array limit and by what the rest of the input could hold (`min_member` bytes each).
    pub fn array_capacity(&self, e: &Elem<'a>, min_member: usize) -> usize {
        let Some((_, count)) = self.array_type(e) else {
            return 0;
        };
        let declared = text::trim_xml(count).parse::<usize>().unwrap_or(0);
        let room = self.src.len().saturating_sub(self.pos()) / min_member.max(1);
        declared.min(room).min(self.limits.max_array_members)
    }

    /// An array of structs into `out`: each member element is a struct whose schema sequence
    /// is `names` (`required` and `repeatable` bit masks over it, as in
    /// [`Parser::fields_repeated`]), its children handed to `set` by position.
    ///
    /// The array element may also be the struct itself, holding the fields directly (a
    /// struct array written without its wrapper, the array element repeated once per
    /// member): its fields then make one member, with [`WarningKind::ArrayWithoutWrapper`],
    /// never a member per field.
    pub fn struct_array<T: Default>(
        &mut self,
        e: &Elem<'a>,
        member: &str,
        names: &[&'static str],
        (required, repeatable): (u32, u32),
        out: &mut Vec<T>,
        set: impl FnMut(&mut Self, &mut T, usize, Elem<'a>) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        self.array_into(
            e,
            member,
            names,
            (required, repeatable),
            out,
            None::<fn(&mut Self) -> Result<Option<T>, DecodeError>>,
            set,
        )
    }

    /// [`Parser::struct_array`], trying `fast` (when given) before each member (it reads a
    /// member whole, or returns `None` having consumed nothing) and the field-by-field decode
    /// on the members it leaves.
    ///
    /// The field-by-field decode is inlined here only for a large array (more than
    /// [`SMALL_ARRAY`] members declared, or no count) without a `fast` reader: a few members,
    /// or the ones `fast` leaves, go through the shared [`Parser::fields_once`], so that the
    /// code a small message runs through stays small.
    #[allow(clippy::too_many_arguments)]
    pub fn array_into<T: Default>(
        &mut self,
        e: &Elem<'a>,
        member: &str,
        names: &[&'static str],
        (required, repeatable): (u32, u32),
        out: &mut Vec<T>,
        mut fast: Option<impl FnMut(&mut Self) -> Result<Option<T>, DecodeError>>,
        mut set: impl FnMut(&mut Self, &mut T, usize, Elem<'a>) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        let declared = self.array_header(e, member)?;
        let inline_fields = fast.is_none() && declared.is_none_or(|d| d > SMALL_ARRAY);
        let open = !e.empty() && e.leaf.is_none();
        let mut n = 0usize;
        // The struct the array element itself is, in the form without wrapper.
        let mut own: Option<(T, Fields)> = None;
        loop {
            if open && n < self.limits.max_array_members && own.is_none() {
                if let Some(item) = match fast.as_mut() {
                    Some(fast) => fast(self)?,
                    None => None,
                } {
                    n += 1;
                    out.push(item);
                    continue;
                }
            }
            // The member, read as a literal start tag when it is one.
            let member_tag = if open && own.is_none() {
                self.fast_named(member)
            } else {
                None
            };
            let c = match member_tag {
                Some(tag) => self.open_tag(tag)?,
                None => match self.child(e)? {
                    Some(c) => c,
                    None => break,
                },
            };
            if !same(c.local, member) {
                if let Some(i) = names.iter().position(|n| same(n, c.local)) {
                    if own.is_none() {
                        self.warn(WarningKind::ArrayWithoutWrapper, e.offset)?;
                    }
                    let (t, track) = own.get_or_insert_with(|| {
                        (
                            T::default(),
                            Fields {
                                repeatable,
                                ..Fields::default()
                            },
                        )
                    });
                    track.see(self, i, &c)?;
                    set(self, t, i, c)?;
                    continue;
                }
            }
            self.count_member(&mut n, &c, member)?;
            let mut t = T::default();
            if inline_fields {
                self.fields_repeated(&c, names, required, repeatable, |p, i, f| {
                    set(p, &mut t, i, f)
                })?;
            } else {
                self.fields_once(&c, names, (required, repeatable), &mut |p, i, f| {
                    set(p, &mut t, i, f)
                })?;
            }
            out.push(t);
        }
        match own {
            Some((t, track)) => {
                track.finish(self, e, required)?;
                out.push(t);
            }
            None if declared.is_some_and(|d| d != n) => {
                self.warn(WarningKind::ArrayCountMismatch, e.offset)?;
            }
            None => {}
        }
        Ok(())
    }

    /// Counts array member `c` into `n`: an error past the array limit, a warning when it is
    /// not named `member`.
    #[inline(always)]
    fn count_member(
        &mut self,
        n: &mut usize,
        c: &Elem<'a>,
        member: &str,
    ) -> Result<(), DecodeError> {
        *n += 1;
        if *n > self.limits.max_array_members {
            return Err(DecodeError::TooManyArrayMembers {
                limit: self.limits.max_array_members,
                offset: self.at(c.offset),
                path: self.path(),
            });
        }
        if !same(c.local, member) {
            self.warn(WarningKind::UnexpectedArrayMember, c.offset)?;
        }
        Ok(())
    }

    /// Checks an array's xsi:type and arrayType; returns the declared count.
    pub fn array_header(
        &mut self,
        e: &Elem<'a>,
        member: &str,
    ) -> Result<Option<usize>, DecodeError> {
        let attrs = self.attrs_of(e).copied().unwrap_or_default();
        if let Some(t) = attrs.xsi_type {
            if t.local == "Array" && (t.ns == SOAP_ENC || t.ns.is_empty()) {
                self.warn(WarningKind::ArrayXsiType, e.offset)?;
            }
        }
        if attrs.array_type_malformed {
            self.warn(WarningKind::MalformedArrayType, e.offset)?;
            return Ok(None);
        }
        let Some((ty, count)) = attrs.array_type else {
            self.warn(WarningKind::MissingArrayType, e.offset)?;
            return Ok(None);
        };
        let member_ok = ty.local == member
            || (member == "base64" && ty.local == "base64Binary")
            || (member == "string" && ty.local == "anyType");
        if !member_ok {
            self.warn(WarningKind::ArrayTypeMismatch, e.offset)?;
        }
        let count = text::trim_xml(count);
        if count.len() > 1 && count.starts_with('0') {
            self.warn(WarningKind::ZeroPaddedArrayCount, e.offset)?;
        }
        match count.parse::<usize>() {
            Ok(n) => Ok(Some(n)),
            Err(_) => {
                self.warn(WarningKind::MalformedArrayType, e.offset)?;
                Ok(None)
            }
        }
    }
}

/// Order, repetition and presence tracking for a struct's children.
#[derive(Default)]
pub(crate) struct Fields {
    pub(super) seen: u32,
    pub(super) last: usize,
    pub(super) repeatable: u32,
}

impl Fields {
    /// Records child `c`, the `i`th name of the schema sequence.
    pub fn see<'a>(
        &mut self,
        p: &mut Parser<'a>,
        i: usize,
        c: &Elem<'a>,
    ) -> Result<(), DecodeError> {
        let bit = 1u32
            .checked_shl(u32::try_from(i).unwrap_or(31))
            .unwrap_or(0);
        if self.seen & bit & !self.repeatable != 0 {
            p.warn(WarningKind::DuplicateElement, c.offset)?;
        } else if i < self.last {
            p.warn(WarningKind::OutOfOrder, c.offset)?;
        }
        self.seen |= bit;
        self.last = self.last.max(i);
        Ok(())
    }

    /// Warns once for required children that never came.
    pub fn finish<'a>(
        &self,
        p: &mut Parser<'a>,
        e: &Elem<'a>,
        required: u32,
    ) -> Result<(), DecodeError> {
        if required & !self.seen != 0 {
            p.warn(WarningKind::MissingElement, e.offset)?;
        }
        Ok(())
    }
}
