({
    publishCurrent: function (component) {
        var helper = this;
        component
            .find('omniToolkit')
            .getServicePresenceStatusId()
            .then(function (result) {
                helper.publishStatus(component, result.statusApiName, result.statusName);
            })
            .catch(function () {
                // not logged in to Omni-Channel: nothing to tell the phone
                helper.publishStatus(component, '', '');
            });
    },

    publishStatus: function (component, statusApiName, statusName) {
        component.find('omniChannel').publish({
            type: 'omniStatus',
            source: 'omniPresenceBridge',
            statusApiName: statusApiName || '',
            statusName: statusName || ''
        });
    }
});
